#!/usr/bin/env python3
"""Writes the demo's department dumps under samples/, with their planted defects, and the figures
the demo's report must show.

    scripts/make-samples.py

Every planted defect is listed beside the row that carries it: that list is the hand count the
report is checked against (rule counts, compliant records), written to
Tests/CreditPipelineTests/Golden/samples-expected.json for the end-to-end test. Timeliness and the 错码/重码 figures
are recomputed here from the rows themselves, with this script's own calendar and code checks,
so the test compares the Swift engine with an independent implementation, not with itself.
The file nb-scjg/admin_penalty_20261120.csv predates this script: it is read, not written, and
its defects are annotated below by line.
"""
import csv
import datetime
import io
import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
A = "0123456789ABCDEFGHJKLMNPQRTUWXY"
W = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
PLACEHOLDER = "00000000000000000X"


# ---------------------------------------------------------------- codes

def org_check(body):
    value = lambda c: int(c) if c.isdigit() else ord(c) - 55
    r = 11 - sum(value(c) * w for c, w in zip(body, [3, 7, 9, 10, 5, 8, 4, 2])) % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


def uscc(prefix8, body8):
    p = prefix8 + body8 + org_check(body8)
    return p + A[(31 - sum(A.index(c) * w for c, w in zip(p, W)) % 31) % 31]


def uscc_valid(code):
    if len(code) != 18 or any(c not in A for c in code) or not code[2:8].isdigit():
        return False
    if org_check(code[8:16]) != code[16]:
        return False
    return A[(31 - sum(A.index(c) * w for c, w in zip(code[:17], W)) % 31) % 31] == code[17]


def id_number(prefix17):
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return prefix17 + "10X98765432"[sum(int(c) * w for c, w in zip(prefix17, weights)) % 11]


def fold(text):
    """Full-width ASCII to half-width, no spaces, upper case: how codes and names are compared."""
    out = []
    for ch in text:
        o = ord(ch)
        if 0xFF01 <= o <= 0xFF5E:
            ch = chr(o - 0xFEE0)
        elif ch == "\u3000":
            ch = " "
        if ch in " \t":
            continue
        out.append(ch.upper() if ch.isascii() else ch)
    return "".join(out)


def regno(prefix14):
    """A GS 15 registration number: ISO 7064 MOD 11,10 over 14 digits."""
    p = 10
    for ch in prefix14:
        t = (p + int(ch)) % 10 or 10
        p = (2 * t) % 11
    return prefix14 + str((11 - p) % 10)


def mutate_check(code):
    return code[:-1] + ("0" if code[-1] != "0" else "1")


# ---------------------------------------------------------------- calendar and dates

def load_calendar():
    exceptions = {}
    with (ROOT / "catalogs/reference/cn-official-calendar.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            exceptions[datetime.date.fromisoformat(row["date"])] = row["kind"] == "workday"
    years = {d.year for d in exceptions}
    return exceptions, min(years), max(years)


CALENDAR, FIRST_YEAR, LAST_YEAR = load_calendar()


def deadline(decided, working_days):
    day, left = decided, working_days
    while left:
        day += datetime.timedelta(days=1)
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            return None
        if CALENDAR.get(day, day.weekday() < 5):
            left -= 1
    return day


def parse_date(text):
    text = fold(text)
    for sep in ("/", "-", "."):
        parts = text.split(sep)
        if len(parts) == 3 and len(parts[0]) == 4 and all(p.isdigit() for p in parts):
            try:
                return datetime.date(int(parts[0]), int(parts[1]), int(parts[2]))
            except ValueError:
                return None
    if len(text) == 8 and text.isdigit():
        try:
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
    if "年" in text and text.endswith("日"):
        y, rest = text.split("年")
        m, d = rest[:-1].split("月")
        try:
            return datetime.date(int(y), int(m), int(d))
        except ValueError:
            return None
    return None


# ---------------------------------------------------------------- subjects used across files

def company(n, prefix="91330203"):
    return uscc(prefix, f"MA2{n:05d}".replace("0", "A", 1))


C = {name: company(i + 11) for i, name in enumerate([
    "宁波甬城建设工程有限公司", "宁波三江口物业管理有限公司", "宁波天一阁文化传播有限公司", "宁波月湖餐饮管理有限公司",
    "宁波老外滩酒店管理有限公司", "宁波鼓楼眼镜有限公司", "宁波南塘老街商贸有限公司", "宁波东部新城置业有限公司",
    "宁波象山港水产有限公司", "宁波慈城古镇旅游有限公司",
])}
AUTH = {  # department codes: the examples of catalogs/departments.yaml
    "nb-scjg": "113302000028765169", "nb-sthjj": "113302000267735461", "nb-zjj": "11330200684874525R",
    "hs-scjg": "11330203017572283X", "yz-zhzf": "11330212464289260B",
}
NAMES = {
    "nb-scjg": "宁波市市场监督管理局", "nb-sthjj": "宁波市生态环境局", "nb-zjj": "宁波市住房和城乡建设局",
    "hs-scjg": "宁波市海曙区市场监督管理局", "yz-zhzf": "宁波市鄞州区综合行政执法局",
}
IB = uscc("92330203", "MA2K7Q3B")      # an individual business
PERSON = [id_number(p) for p in ["33020319850312071", "33021219920718062", "33020419780101003",
                                 "33028119901111004", "33022519660606005"]]


# ---------------------------------------------------------------- the files

FILES = []  # (path, item, department, rows: [(values, [defects])], header names, options)


def add(path, item, department, header, rows, delimiter=",", file_defects=(), format="csv", encoding="utf-8",
        record_path=None):
    FILES.append(dict(path=path, item=item, department=department, header=header, rows=rows, delimiter=delimiter,
                      file_defects=list(file_defects), format=format, encoding=encoding, record_path=record_path))


# 企业登记注册: the registry the other items are compared with.
reg_header = ["统一社会信用代码", "企业名称", "企业类型", "法定代表人", "注册资本(万元)", "成立日期", "登记状态", "登记机关",
              "登记机关统一社会信用代码", "住所"]
reg_rows = []
for i, (name, code) in enumerate(C.items()):
    reg_rows.append(([code, name, "有限责任公司", f"陈{'一二三四五六七八九十'[i]}", "100", f"2015-0{1 + i % 9}-1{i % 9}", "存续",
                      NAMES["nb-scjg"], AUTH["nb-scjg"], f"宁波市海曙区某路{i + 1}号"], []))
reg_rows.append(([mutate_check(company(40)), "宁波错码贸易有限公司", "有限责任公司", "林某", "50", "2018-05-05", "存续",
                  NAMES["nb-scjg"], AUTH["nb-scjg"], "宁波市江北区某路1号"], [("USCC_CHECK", "tyshxydm")]))
reg_rows.append(([company(41), "宁波类型不明有限公司", "有限公司", "周某", "80", "2019-06-06", "存续",
                  NAMES["nb-scjg"], AUTH["nb-scjg"], "宁波市北仑区某路2号"], [("ENUM_VALUE", "qylx")]))
add("nb-scjg/enterprise_registration_20261118.csv", "enterprise_registration", "nb-scjg", reg_header, reg_rows)


def penalty(name, kind, code, wsh, kinds, content, fine, decided, valid_until, dept, legal="", zjlx="", zjhm="",
            wfff="", zkdx=""):
    return [name, kind, code, legal, zjlx, zjhm, wsh, "环境违法", "超标排放污染物", "《中华人民共和国大气污染防治法》第九十九条",
            kinds, content, fine, wfff, zkdx, decided, valid_until, NAMES[dept], AUTH[dept], NAMES[dept], AUTH[dept]]


# 行政处罚 of the environment bureau: `;`-separated, its own column names (mapped in feeds.yaml).
pen_header = ["当事人名称", "当事人类别", "统一社会信用代码", "法定代表人", "证件类型", "证件号码", "处罚决定书编号", "违法行为类型",
              "违法事实", "处罚依据", "处罚类别", "处罚内容", "罚款金额（万元）", "没收违法所得、没收非法财物的金额（万元）",
              "暂扣或吊销证照名称及编号", "作出处罚决定日期", "处罚有效期", "处罚机关", "处罚机关统一社会信用代码", "数据来源单位",
              "数据来源单位统一社会信用代码"]
c = list(C.items())
add("nb-sthjj/admin_penalty_20261119.csv", "admin_penalty", "nb-sthjj", pen_header, [
    (penalty(c[0][0], "法人及非法人组织", c[0][1], "甬环罚〔2026〕31号", "罚款", "罚款人民币5000元", "0.5", "2026-11-10", "2027-11-10",
             "nb-sthjj", legal="赵建国"), []),
    (penalty(c[1][0], "法人及非法人组织", c[1][1], "甬环罚〔2026〕32号", "罚款", "罚款人民币3000元", "0.3", "2026-11-09", "2027-11-09",
             "nb-sthjj", legal="钱红"), []),
    (penalty(c[2][0], "法人及非法人组织", c[2][1], "甬环罚〔2026〕33号", "罚款", "罚款人民币2000元", "", "2026-11-12", "2027-11-12",
             "nb-sthjj", legal="孙丽"), [("REQUIRED_WHEN", "cf_nr_fk")]),
    (penalty(c[3][0], "法人及非法人组织", c[3][1], "甬环罚〔2026〕34号", "罚款", "罚款人民币50000元", "50000", "2026-11-13",
             "2027-11-13", "nb-sthjj", legal="李强"), [("AMOUNT_UNIT_SUSPECT", "cf_nr_fk")]),
    (penalty("王某", "自然人", "", "甬环罚〔2026〕35号", "警告", "警告", "", "2026-11-16", "2027-05-16", "nb-sthjj",
             legal="王某", zjlx="身份证", zjhm=PERSON[0]), [("FORBIDDEN_WHEN", "cf_frdb")]),
    (penalty(c[0][0], "法人及非法人组织", c[0][1], "甬环罚〔2026〕31号", "罚款", "罚款人民币5000元", "0.5", "2026-11-10", "2027-11-10",
             "nb-sthjj", legal="赵建国"), [("DUP_RECORD", None)]),
    (penalty(c[4][0], "法人及非法人组织", c[4][1], "甬环罚〔2026〕36号", "罚金", "罚金", "", "2026-11-17", "2027-11-17",
             "nb-sthjj", legal="周敏"), [("ENUM_VALUE", "cf_cflb")]),
    (penalty(c[5][0], "法人及非法人组织", c[5][1], "甬环罚〔2003〕7号", "警告", "警告", "", "2003-06-10", "2004-06-10",
             "nb-sthjj", legal="吴刚"), []),
], delimiter=";")


def licence(name, kind, code, wsh, category, decided, start, end, dept, status="1", legal="", zjlx="", zjhm="", org="",
            regno="", authority=None):
    return [name, kind, code, regno, org, legal, zjlx, zjhm, "建筑工程施工许可证", wsh, category, "施工许可证", f"{wsh}-证",
            "准予建筑工程施工", decided, start, end, NAMES[dept], authority or AUTH[dept], status, NAMES[dept], AUTH[dept]]


lic_header = ["行政相对人名称", "行政相对人类别", "行政相对人代码_1(统一社会信用代码)", "行政相对人代码_2(工商注册号)",
              "行政相对人代码_3(组织机构代码)", "法定代表人", "证件类型", "证件号码", "行政许可决定文书名称", "行政许可决定文书号",
              "许可类别", "许可证书名称", "许可编号", "许可内容", "许可决定日期", "有效期自", "有效期至", "许可机关",
              "许可机关统一社会信用代码", "当前状态", "数据来源单位", "数据来源单位统一社会信用代码"]
twin = company(60)
add("nb-zjj/admin_license_20261120.csv", "admin_license", "nb-zjj", lic_header, [
    (licence(c[6][0], "法人及非法人组织", c[6][1], "甬建许〔2026〕201号", "普通", "2026/11/11", "2026/11/11", "2029/11/10",
             "nb-zjj", legal="郑华"), []),
    (licence(c[7][0], "法人及非法人组织", c[7][1], "甬建许〔2026〕202号", "01", "2026/11/12", "2026/11/12", "2025/11/11",
             "nb-zjj", legal="冯军"), [("DATE_ORDER", "xk_yxqzi"), ("DATE_ORDER_UNUSUAL", "xk_yxqzi")]),
    (licence(c[8][0], "法人及非法人组织", c[8][1], "甬建许〔2026〕203号", "其他", "2026/11/13", "2026/11/13", "2029/11/12",
             "nb-zjj", legal="陈平"), [("ENUM_OTHER_UNSTATED", "xk_xklb")]),
    (licence(c[9][0], "法人及非法人组织", c[9][1], "甬建许〔2026〕204号", "核准", "2026/11/25", "2026/11/25", "2029/11/24",
             "nb-zjj", legal="褚明"), [("DATE_AFTER_SUBMISSION", "xk_jdrq")]),
    (licence("宁波三江口物业服务有限公司", "法人及非法人组织", c[1][1], "甬建许〔2026〕205号", "登记", "2026/11/16", "2026/11/16",
             "2029/11/15", "nb-zjj", legal="卫东"), [("USCC_NAME_MISMATCH_REGISTRY", "xk_xdr_mc")]),
    (licence("宁波双子星建材有限公司", "法人及非法人组织", twin, "甬建许〔2026〕206号", "普通", "2026/11/17", "2026/11/17", "2029/11/16",
             "nb-zjj", legal="蒋一"), []),
    (licence("宁波双子星建材股份有限公司", "法人及非法人组织", twin, "甬建许〔2026〕207号", "普通", "2026/11/18", "2026/11/18",
             "2029/11/17", "nb-zjj", legal="蒋一"), [("USCC_NAME_CONFLICT", "xk_xdr_mc")]),
    (licence(c[2][0], "法人及非法人组织", c[2][1], "甬建许〔2026〕208号", "认可", "2026/11/19", "2026/11/19", "2029/11/18",
             "nb-zjj", legal="孙丽", authority=uscc("91330200", "MA2XX001")), [("AUTHORITY_CODE_UNUSUAL", "xk_xkjgdm")]),
])

ib_regno = regno("33020360012345")
add("hs-scjg/admin_license_20261121.csv", "admin_license", "hs-scjg", lic_header, [
    (licence("张某", "自然人", "", "海市监许〔2026〕301号", "登记", "2026-11-12", "2026-11-12", "2031-11-11", "hs-scjg",
             zjlx="身份证", zjhm=PERSON[1]), []),
    (licence("刘某", "自然人", "", "海市监许〔2026〕302号", "登记", "2026-11-12", "2026-11-12", "2031-11-11", "hs-scjg",
             zjlx="身份证"), [("REQUIRED_WHEN", "xk_xdr_zjhm")]),
    (licence("陈某", "自然人", "", "海市监许〔2026〕303号", "登记", "2026-11-13", "2026-11-13", "2031-11-12", "hs-scjg",
             zjlx="01", zjhm=mutate_check(PERSON[2])), [("ID_CHECK", "xk_xdr_zjhm")]),
    (licence("宁波海曙小林服装店", "法人及非法人组织", IB, "海市监许〔2026〕304号", "登记", "2026-11-16", "2026-11-16",
             "2031-11-15", "hs-scjg", legal="林某"), [("LB_CODE_MISMATCH", "xk_xdr_shxym")]),
    (licence(c[3][0], "法人及非法人组织", c[3][1], "海市监许〔2026〕305号", "登记", "2026-11-16", "2026-11-16", "2031-11-15",
             "hs-scjg", legal="李强", org="MA2XX002" + org_check("MA2XX002")), [("ORGCODE_MISMATCH", "xk_xdr_zzjg")]),
    (licence("宁波海曙阿芳早餐店", "个体工商户", PLACEHOLDER, "海市监许〔2026〕306号", "登记", "2026-11-17", "2026-11-17",
             "2031-11-16", "hs-scjg", legal="王芳", regno=ib_regno), [("USCC_PLACEHOLDER_ACCEPTED", "xk_xdr_shxym")]),
    (licence("宁波海曙老李修车铺", "个体工商户", PLACEHOLDER, "海市监许〔2026〕307号", "登记", "2026-11-17", "2026-11-17",
             "2031-11-16", "hs-scjg", legal="李某"),
     [("USCC_PLACEHOLDER_ACCEPTED", "xk_xdr_shxym"), ("PLACEHOLDER_REGNO_MISSING", "xk_xdr_gszc")]),
    (licence(c[4][0], "法人及非法人组织", c[4][1], "海市监许〔2026〕308号", "登记", "2026-11-02", "2026-11-02", "2031-11-01",
             "hs-scjg", legal="周敏"), []),
])

yz_header = ["行政相对人名称", "行政相对人类别", "证件类型", "证件号码", "行政处罚决定书文号", "违法行为类型", "违法事实", "处罚依据", "处罚类别",
             "处罚内容", "罚款金额（万元）", "暂扣或吊销证照名称及编号", "处罚决定日期", "处罚有效期", "处罚机关", "处罚机关统一社会信用代码",
             "数据来源单位", "数据来源单位统一社会信用代码"]


def person_penalty(name, zjhm, wsh, kinds, fine, decided, until, zkdx=""):
    return [name, "自然人", "身份证", zjhm, wsh, "市容违法", "占道经营", "《城市市容和环境卫生管理条例》第三十六条", kinds,
            f"{kinds}", fine, zkdx, decided, until, NAMES["yz-zhzf"], AUTH["yz-zhzf"], NAMES["yz-zhzf"], AUTH["yz-zhzf"]]


add("yz-zhzf/admin_penalty_20261120.csv", "admin_penalty", "yz-zhzf", yz_header, [
    (person_penalty("赵某", PERSON[3], "鄞综执罚〔2026〕41号", "罚款", "0.02", "2026-11-11", "2027-11-11"), []),
    (person_penalty("宁波某某餐饮店", PERSON[4], "鄞综执罚〔2026〕42号", "警告", "", "2026-11-12", "2027-05-12"),
     [("NAME_LOOKS_LIKE_ORG", "cf_xdr_mc")]),
    (person_penalty("钱某", "330203850312071", "鄞综执罚〔2026〕43号", "警告", "", "2026-11-12", "2027-05-12"),
     [("ID_LEGACY15", "cf_xdr_zjhm")]),
    (person_penalty("孙某", id_number("33021219700101006"), "鄞综执罚〔2026〕44号", "暂扣或者吊销执照", "", "2026-11-13",
                    "2027-11-13", zkdx="道路运输证 浙甬001"), [("ENUM_LEGACY", "cf_cflb")]),
    (person_penalty("李某", id_number("33021219800202007"), "鄞综执罚〔2026〕45号", "警告", "", "2026-11-16", "2026-05-16"),
     [("DATE_ORDER", "cf_yxq")]),
    (person_penalty("周某", id_number("33021229990101008"), "鄞综执罚〔2026〕46号", "警告", "", "2026-11-16", "2027-05-16"),
     [("ID_BIRTHDATE", "cf_xdr_zjhm")]),
], file_defects=[("HEADER_MISSING_FIELD", "cf_xdr_shxym"), ("HEADER_MISSING_FIELD", "cf_frdb"),
                 ("HEADER_MISSING_FIELD", "cf_nr_wfff")])


# 行政许可 of 慈溪 in XML, declared GBK as its export tool writes it; fields are child elements
# named by field id, the subject kind an attribute of the record element.
cx_header = ["xk_xdr_lb", "xk_xdr_mc", "xk_xdr_shxym", "xk_frdb", "xk_xkws", "xk_wsh", "xk_xklb", "xk_nr", "xk_jdrq",
             "xk_yxqz", "xk_yxqzi", "xk_xkjg", "xk_xkjgdm", "xk_zt", "xk_lydw", "xk_lydwdm"]
NAMES["cx-scjg"], AUTH["cx-scjg"] = "慈溪市市场监督管理局", "11330282937195564J"


def cx(name, code, wsh, category, decided, content="准予食品经营许可"):
    return ["法人及非法人组织", name, code, "沈某", "食品经营许可决定书", wsh, category, content, decided, decided,
            "2031-11-10", NAMES["cx-scjg"], AUTH["cx-scjg"], "1", NAMES["cx-scjg"], AUTH["cx-scjg"]]


add("cx-scjg/admin_license_20261120.xml", "admin_license", "cx-scjg", cx_header, [
    (cx("慈溪杭州湾食品有限公司", company(70, "91330282"), "慈市监许〔2026〕501号", "普通", "2026-11-11"), []),
    (cx("慈溪白沙路餐饮有限公司", company(71, "91330282"), "慈市监许〔2026〕502号", "特别", "2026-11-12"),
     [("ENUM_VALUE", "xk_xklb")]),
    (cx("慈溪观海卫商贸有限公司", company(72, "91330282"), "慈市监许〔2026〕503号", "普通", "2026-11-13", content=""),
     [("REQUIRED", "xk_nr")]),
    (cx("慈溪龙山水产有限公司", company(73, "91330282"), "慈市监许〔2026〕504号", "04", "2026-11-09"), []),
], format="xml", encoding="gbk", record_path="/DATA/ROW")

# 纳税信用A级纳税人名单 in JSON inside an API envelope (data.list); the year is a JSON number.
tax_header = ["nsrsbh", "nsrmc", "pjnd", "pjjg", "fbdw", "fbrq"]
NAMES["nb-tax"], AUTH["nb-tax"] = "国家税务总局宁波市税务局", "11330200685969382G"
add("nb-tax/tax_a_grade_20261115.json", "tax_a_grade", "nb-tax", tax_header, [
    ([c[0][1], c[0][0], 2025, "A", NAMES["nb-tax"], "2026-04-20"], []),
    ([c[6][1], c[6][0], 2025, "A", NAMES["nb-tax"], "2026-04-20"], []),
    ([c[7][1], "宁波东部新城置业股份有限公司", 2025, "A", NAMES["nb-tax"], "2026-04-20"], [("USCC_NAME_MISMATCH_REGISTRY", "nsrmc")]),
    ([mutate_check(company(80)), "宁波税务示例有限公司", 2025, "A", NAMES["nb-tax"], "2026-04-20"], [("USCC_CHECK", "nsrsbh")]),
    ([company(81), "宁波年份有误有限公司", "25", "A", NAMES["nb-tax"], "2026-04-20"], [("PATTERN", "pjnd")]),
], format="json", record_path="data.list")

# 失信被执行人 from the intermediate court as JSON Lines.
court_header = ["bzxrmc", "ztlb", "tyshxydm", "zjhm", "fddbr", "zxfy", "zxyjwh", "ah", "larq", "yw", "lxqk", "sxqx", "fbsj"]
NAMES["nb-zy"] = "宁波市中级人民法院"


def court(name, kind, code, zjhm, legal, ah, filed, published, performance="全部未履行"):
    return [name, kind, code, zjhm, legal, NAMES["nb-zy"], "（2025）浙02民初100号", ah, filed, "支付货款50万元", performance,
            "有履行能力而拒不履行生效法律文书确定义务", published]


add("nb-zy/court_dishonest_20261119.jsonl", "court_dishonest", "nb-zy", court_header, [
    (court(c[8][0], "法人及非法人组织", c[8][1], "", "陈平", "（2026）浙02执100号", "2026-03-01", "2026-06-01"), []),
    (court("王某", "自然人", "", id_number("33020319700505003"), "", "（2026）浙02执101号", "2026-03-02", "2026-06-02"), []),
    (court(c[9][0], "法人及非法人组织", c[9][1], "", "褚明", "2026执102", "2026-03-03", "2026-06-03"), [("PATTERN", "ah")]),
    (court("李某", "自然人", "", id_number("33020319700606004"), "", "（2026）浙02执103号", "2026-07-01", "2026-06-04",
           performance="部分未履行"), [("DATE_ORDER", "fbsj")]),
], format="jsonl")

# 信用承诺 of the development and reform commission, a CSV saved in GB18030 by office software.
commit_header = ["承诺主体名称", "主体类别", "统一社会信用代码", "身份证号码", "承诺类型", "承诺事由", "承诺内容", "承诺日期", "受理部门",
                 "受理部门统一社会信用代码"]
NAMES["nb-fgw"], AUTH["nb-fgw"] = "宁波市发展和改革委员会", "11330200983690064P"


def commitment(name, kind, code, zjhm, kind_of, date):
    return [name, kind, code, zjhm, kind_of, "申请政府资金支持", "所提交材料真实有效，如有不实愿承担相应责任", date, NAMES["nb-fgw"],
            AUTH["nb-fgw"]]


add("nb-fgw/credit_commitment_20261119.csv", "credit_commitment", "nb-fgw", commit_header, [
    (commitment(c[2][0], "法人及非法人组织", c[2][1], "", "审批替代型", "2026-11-02"), []),
    (commitment(c[3][0], "法人及非法人组织", c[3][1], "", "容缺受理型", "2026-11-03"), []),
    (commitment("赵某", "自然人", "", id_number("33020319880808005"), "主动型", "2026-11-04"), []),
    (commitment(c[4][0], "法人及非法人组织", c[4][1], "", "承诺制", "2026-11-05"), [("ENUM_VALUE", "cnlx")]),
    (commitment("钱某", "自然人", c[5][1], id_number("33020319900909006"), "主动型", "2026-11-06"),
     [("FORBIDDEN_WHEN", "tyshxydm"), ("USCC_NAME_MISMATCH_REGISTRY", "czzt")]),
], encoding="gb18030")

# The older, hand-made file: read as it is; its defects by line (see samples/README.md).
LEGACY = {
    "path": "nb-scjg/admin_penalty_20261120.csv", "item": "admin_penalty", "department": "nb-scjg",
    "defects": {
        3: [("REQUIRED_WHEN", "cf_nr_wfff")], 6: [("USCC_CHECK", "cf_xdr_shxym")], 7: [("REQUIRED", "cf_wsh")],
        8: [("DATE_FORMAT", "cf_jdrq")], 9: [("DATE_UNPADDED", "cf_jdrq")], 10: [("USCC_CHARSET", "cf_cfjgdm")],
        11: [("REQUIRED", "cf_sy")], 14: [("ROW_FIELD_COUNT", None)], 16: [("DATE_LONG_TERM_TEXT", "cf_yxq")],
        17: [("USCC_LENGTH", "cf_xdr_shxym")],
        18: [("REQUIRED", "cf_cflb")], 19: [("DATE_FORMAT", "cf_yxq")], 20: [("USCC_NAME_CONFLICT", "cf_xdr_mc")],
    },
}

ERRORS = {"PATTERN", "USCC_CHECK", "ENUM_VALUE", "REQUIRED_WHEN", "FORBIDDEN_WHEN", "DUP_RECORD", "DATE_ORDER",
          "DATE_AFTER_SUBMISSION", "ID_CHECK", "ORGCODE_MISMATCH", "PLACEHOLDER_REGNO_MISSING", "ID_BIRTHDATE",
          "REQUIRED", "DATE_FORMAT", "USCC_CHARSET", "ROW_FIELD_COUNT", "USCC_LENGTH"}
SUBJECT = {  # item: (code column, name column, decision-date column, working days) by header name
    "admin_penalty": (("统一社会信用代码", "行政相对人代码_1(统一社会信用代码)"), ("当事人名称", "行政相对人名称"),
                      ("作出处罚决定日期", "处罚决定日期"), 7),
    "admin_license": (("行政相对人代码_1(统一社会信用代码)",), ("行政相对人名称",), ("许可决定日期",), 7),
    "enterprise_registration": (("统一社会信用代码",), ("企业名称",), (), None),
    "tax_a_grade": (("nsrsbh",), ("nsrmc",), (), None),
    "court_dishonest": (("tyshxydm",), ("bzxrmc",), (), None),
    "credit_commitment": (("统一社会信用代码",), ("承诺主体名称",), (), None),
}
LICENCE_KEYS = {"admin_license": (("xk_xdr_shxym",), ("xk_xdr_mc",), ("xk_jdrq",), 7)}


def xml_text(value):
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_files():
    for spec in FILES:
        path = SAMPLES / spec["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        for values, _ in spec["rows"]:
            assert len(values) == len(spec["header"]), (spec["path"], values)
        if spec["format"] == "csv":
            out = io.StringIO()
            writer = csv.writer(out, delimiter=spec["delimiter"], lineterminator="\r\n")
            writer.writerow(spec["header"])
            for values, _ in spec["rows"]:
                writer.writerow(values)
            path.write_bytes(out.getvalue().encode(spec["encoding"]))
        elif spec["format"] == "xml":
            root, record = spec["record_path"].strip("/").split("/")
            lines = [f'<?xml version="1.0" encoding="{spec["encoding"].upper()}"?>', f"<{root}>"]
            for values, _ in spec["rows"]:
                row = dict(zip(spec["header"], values))
                kind = row.pop(spec["header"][0])
                lines.append(f'  <{record} {spec["header"][0]}="{xml_text(kind)}">')
                for key, value in row.items():
                    lines.append(f"    <{key}>{xml_text(value)}</{key}>" if value != "" else f"    <{key}/>")
                lines.append(f"  </{record}>")
            lines.append(f"</{root}>")
            path.write_bytes(("\n".join(lines) + "\n").encode(spec["encoding"]))
        elif spec["format"] == "json":
            records = [dict(zip(spec["header"], values)) for values, _ in spec["rows"]]
            body = ",\n      ".join(json.dumps(r, ensure_ascii=False) for r in records)
            path.write_text('{\n  "code": 0,\n  "message": "成功",\n  "data": {\n    "total": %d,\n    "list": [\n      %s\n    ]\n  }\n}\n'
                            % (len(records), body), encoding="utf-8")
        else:  # JSON Lines
            path.write_text("".join(json.dumps(dict(zip(spec["header"], values)), ensure_ascii=False) + "\n"
                                    for values, _ in spec["rows"]), encoding="utf-8")


def read(path, delimiter):
    with (SAMPLES / path).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return rows[0], rows[1:]


def lines_of(path):
    """The line each record starts on (quoted fields may span lines)."""
    text = (SAMPLES / path).read_text(encoding="utf-8-sig")
    starts, line, quoted, at_start = [], 1, False, True
    for ch in text:
        if at_start and ch not in "\r\n":
            starts.append(line)
            at_start = False
        if ch == '"':
            quoted = not quoted
        elif ch == "\n":
            line += 1
            if not quoted:
                at_start = True
    return starts[1:]


def figures():
    """Expected figures per department × item, recomputed from the rows."""
    entries = []
    for spec in FILES:
        rows = [[str(v) for v in values] for values, _ in spec["rows"]]
        defects = [d for _, d in spec["rows"]]
        entries.append((spec, spec["header"], rows, defects, None))
    header, rows = read(LEGACY["path"], ",")
    starts = lines_of(LEGACY["path"])
    entries.append((dict(LEGACY, delimiter=","), header, rows, [LEGACY["defects"].get(line, []) for line in starts], starts))
    # The registry: valid codes of the registry files, last row wins (they are archived first).
    registry = {}
    for spec, header, rows, defects, _ in entries:
        if spec["item"] == "enterprise_registration":
            for row in rows:
                code = fold(row[header.index("统一社会信用代码")])
                if uscc_valid(code):
                    registry[code] = fold(row[header.index("企业名称")])
    slices, all_codes = {}, {}
    for spec, header, rows, defects, starts in entries:
        key = (spec["department"], spec["item"])
        s = slices.setdefault(key, dict(department=key[0], item=key[1], records=0, compliant=0, timely=0, late=0,
                                        timeliness_unknown=0, rules={}, codes={}, files=[]))
        s["files"].append(spec["path"])
        for rule, _ in spec.get("file_defects", []):
            s["rules"][rule] = s["rules"].get(rule, 0) + 1
        code_cols, name_cols, date_cols, days = SUBJECT[spec["item"]]
        if spec.get("format", "csv") != "csv":
            code_cols, name_cols, date_cols, days = LICENCE_KEYS.get(spec["item"], (code_cols, name_cols, date_cols, days))
        col = lambda names: next((header.index(n) for n in names if n in header), None)
        code_col, name_col, date_col = col(code_cols), col(name_cols), col(date_cols)
        stamp = re.search(r"(?<!\d)(\d{8})(?!\d)", spec["path"].rsplit("/", 1)[-1]).group(1)
        submitted = datetime.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
        for row, planted in zip(rows, defects):
            s["records"] += 1
            if not any(rule in ERRORS for rule, _ in planted):
                s["compliant"] += 1
            for rule, field in planted:
                s["rules"][rule] = s["rules"].get(rule, 0) + 1
            ragged = len(row) != len(header)
            # A repeat of a decision in the same file (DUP_RECORD) is not another submission of
            # it: timeliness is judged once (spec §8).
            repeat = any(rule == "DUP_RECORD" for rule, _ in planted)
            if days is not None and not repeat:
                decided = None if ragged else parse_date(row[date_col])
                due = deadline(decided, days) if decided and decided <= submitted else None
                if due is None:
                    s["timeliness_unknown"] += 1
                elif submitted <= due:
                    s["timely"] += 1
                else:
                    s["late"] += 1
                    s["rules"]["TIMELINESS_LATE"] = s["rules"].get("TIMELINESS_LATE", 0) + 1
            if ragged or code_col is None:
                continue
            code = fold(row[code_col])
            if not code or code == PLACEHOLDER:
                continue
            name = fold(row[name_col])
            for bucket in (s["codes"], all_codes):
                entry = bucket.setdefault(code, dict(valid=uscc_valid(code), names=set()))
                if name:
                    entry["names"].add(name)
    # 重码 (spec §9) is judged over everything archived, both ways: a code carried with two or
    # more names, or one of its names carried with two or more valid codes. A name other than the
    # registry's is a figure of its own.
    codes_of_name = {}
    for code, entry in all_codes.items():
        for name in entry["names"]:
            if entry["valid"]:
                codes_of_name.setdefault(name, set()).add(code)
    def code_figures(codes):
        bad = lambda c, e: len(all_codes[c]["names"]) > 1 or any(len(codes_of_name.get(n, ())) > 1 for n in e["names"])
        return dict(distinct_codes=len(codes), error_codes=sum(not e["valid"] for e in codes.values()),
                    duplicate_codes=sum(bad(c, e) for c, e in codes.items()),
                    dup_error_codes=sum(not e["valid"] or bad(c, e) for c, e in codes.items()),
                    registry_name_mismatches=sum(c in registry and any(n != registry[c] for n in e["names"])
                                                 for c, e in codes.items()))
    result = []
    for key in sorted(slices):
        s = slices[key]
        s.update(code_figures(s.pop("codes")))
        result.append(s)
    totals = dict(records=sum(s["records"] for s in result), compliant=sum(s["compliant"] for s in result),
                  timely=sum(s["timely"] for s in result), late=sum(s["late"] for s in result),
                  timeliness_unknown=sum(s["timeliness_unknown"] for s in result), **code_figures(all_codes))
    return dict(slices=result, totals=totals)


RULE_TEXT = {
    "USCC_CHECK": "check character wrong", "ENUM_VALUE": "value not in the code table", "REQUIRED_WHEN": "conditionally required field empty",
    "FORBIDDEN_WHEN": "field a natural person must not carry", "DUP_RECORD": "same decision number, subject and date again",
    "DATE_ORDER": "end date before its start", "DATE_ORDER_UNUSUAL": "order of dates unusual (warning)",
    "DATE_AFTER_SUBMISSION": "decided after the file was submitted", "ID_CHECK": "ID number check character wrong",
    "ORGCODE_MISMATCH": "organization code differs from USCC positions 9–17",
    "PLACEHOLDER_REGNO_MISSING": "placeholder USCC without a registration number", "ID_BIRTHDATE": "ID birth date in the future",
    "AMOUNT_UNIT_SUSPECT": "fine of 50000 万元: sent in 元 (warning)",
    "DATE_LONG_TERM_TEXT": "长期 sent as text in a date field (warning; archived as 2099-12-31)", "ENUM_OTHER_UNSTATED": "bare 其他 (warning)",
    "USCC_NAME_MISMATCH_REGISTRY": "name differs from the registry's (warning; counted apart from 重码)",
    "USCC_NAME_CONFLICT": "code seen earlier with another name (warning; 重码)",
    "AUTHORITY_CODE_UNUSUAL": "authority code not starting with 1 (warning)",
    "LB_CODE_MISMATCH": "organization with a 92… code (warning)", "USCC_PLACEHOLDER_ACCEPTED": "individual business with the placeholder (warning)",
    "NAME_LOOKS_LIKE_ORG": "natural person named like a shop (warning)", "ID_LEGACY15": "15-digit ID (warning)",
    "ENUM_LEGACY": "pre-2021 penalty category (warning)", "PATTERN": "value not in the required form", "HEADER_MISSING_FIELD": "column of a conditionally required field absent (warning)",
}


def readme(expected):
    """The tables of samples/README.md, from the same planted-defect lists and figures."""
    out = []
    for spec in FILES:
        csv_utf8 = spec["format"] == "csv" and spec["encoding"] == "utf-8"
        starts = lines_of(spec["path"]) if csv_utf8 else [f"record {n}" for n in range(1, len(spec["rows"]) + 1)]
        form = {"csv": f"CSV (`{spec['delimiter']}`)", "xml": f"XML, records at `{spec['record_path']}`",
                "json": f"JSON, records at `{spec['record_path']}`", "jsonl": "JSON Lines"}[spec["format"]]
        out.append(f"### `{spec['path']}`\n")
        out.append(f"{NAMES.get(spec['department'], spec['department'])}, {spec['item']}, {form}, "
                   f"{spec['encoding'].upper()}, {len(spec['rows'])} records.\n")
        out.append("| where | planted defect | rule | field |\n|---|---|---|---|")
        for line, (_, defects) in zip(starts, spec["rows"]):
            for rule, field in defects:
                out.append(f"| {line} | {RULE_TEXT.get(rule, rule)} | `{rule}` | `{field or '—'}` |")
        for rule, field in spec.get("file_defects", []):
            out.append(f"| header | {RULE_TEXT.get(rule, rule)} | `{rule}` | `{field}` |")
        out.append("")
    out.append("## Expected figures\n")
    out.append("| department | item | records | compliant | 合规率 | timely / known (unknown) | 重错码 / codes (错码, 重码) |")
    out.append("|---|---|---|---|---|---|---|")
    rows = expected["slices"] + [dict(expected["totals"], department="**total**", item="")]
    for s in rows:
        rate = f"{100 * s['compliant'] / s['records']:.2f}%" if s["records"] else "—"
        known = s["timely"] + s["late"]
        out.append(f"| {s['department']} | {s['item']} | {s['records']} | {s['compliant']} | {rate} | "
                   f"{s['timely']} / {known} ({s['timeliness_unknown']}) | {s['dup_error_codes']} / {s['distinct_codes']} "
                   f"({s['error_codes']}, {s['duplicate_codes']}) |")
    out.append("")
    out.append("Rule counts per slice, including one `TIMELINESS_LATE` warning per late record: "
               "`Tests/CreditPipelineTests/Golden/samples-expected.json`.")
    text = (SAMPLES / "README.md").read_text(encoding="utf-8")
    begin, end = "<!-- generated by scripts/make-samples.py: begin -->", "<!-- generated by scripts/make-samples.py: end -->"
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    (SAMPLES / "README.md").write_text(head + begin + "\n" + "\n".join(out) + "\n" + end + tail, encoding="utf-8")


def main():
    write_files()
    expected = figures()
    readme(expected)
    (ROOT / "Tests/CreditPipelineTests/Golden/samples-expected.json").write_text(json.dumps(expected, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
                                           encoding="utf-8")
    for s in expected["slices"]:
        print(s["department"], s["item"], {k: v for k, v in s.items() if k not in ("department", "item", "files")})
    print("totals", expected["totals"])


if __name__ == "__main__":
    main()
