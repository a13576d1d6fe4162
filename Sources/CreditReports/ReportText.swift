import CreditArchive
import CreditCore

/// The report's fixed wording in each language.
struct ReportText {
    let language: Language

    func callAsFunction(_ zh: String, _ en: String) -> String {
        language == .zh ? zh : en
    }

    func outcome(_ kind: FileOutcome.Kind) -> String {
        switch kind {
        case .archived: self("已入库", "archived")
        case .duplicate: self("重复文件，已跳过", "duplicate, skipped")
        case .failed: self("无法读取，未入库", "unreadable, not archived")
        case .unmatched: self("无对应报送目录，未处理", "no feed matches, not read")
        case .refused: self("已拒绝，未打开", "refused, not opened")
        case .pending: self("仍在写入，留待下次", "still being written, left for the next run")
        }
    }

    func severity(_ severity: Severity) -> String {
        switch severity {
        case .error: self("错误", "error")
        case .warning: self("警告", "warning")
        }
    }

    func status(_ status: String) -> String {
        switch RunStatus(rawValue: status) {
        case .completed: self("完成", "completed")
        case .completedWithFailures: self("完成（部分文件无法读取）", "completed, some files unreadable")
        case .failed: self("失败", "failed")
        case .interrupted: self("中断（已入库的文件保留）", "interrupted (files archived before it are kept)")
        case .running, nil: self("进行中", "running")
        }
    }

    /// `目标 ≥ 98%` / `target < 0.01%`.
    func targetText(_ comparison: RunReport.TargetCheck.Comparison, _ target: TargetRate) -> String {
        switch comparison {
        case .atLeast: self("目标 ≥ \(target)", "target ≥ \(target)")
        case .below: self("目标 < \(target)", "target < \(target)")
        }
    }

    func verdict(_ met: Bool?) -> String {
        switch met {
        case true?: self("达标", "met")
        case false?: self("未达标", "missed")
        case nil: self("无数据", "no data")
        }
    }

    func figure(_ figure: RunReport.TargetCheck.Figure) -> String {
        switch figure {
        case .complianceRate: self("合规率", "Compliance rate")
        case .timelinessRate: self("及时率", "Timeliness")
        case .dupErrorCodeRate: self("重错码率", "Erroneous/duplicate codes")
        case .publicationTimelinessRate: self("公示及时率", "Publication timeliness")
        }
    }

    /// Why a record left publication, or why a credit repair was refused.
    func publicationReason(_ reason: String) -> String {
        switch PublicationChange.Reason(rawValue: reason) {
        case .expired?: self("到期", "expired")
        case .withdrawn?: self("撤销", "withdrawn")
        case .changed?: self("变更", "changed")
        case .repaired?: self("信用修复", "repaired")
        case .objectionOpen?: self("异议处理中暂停公示", "withheld during an objection")
        case .objectionUpheld?: self("异议成立", "objection upheld")
        case .unknownDecision?: self("无对应处罚决定", "no such decision")
        case .tooEarly?: self("未满最短公示期", "before the minimum period")
        case nil: reason
        }
    }

    func departmentStatus(_ status: RunReport.DepartmentFigures.Status) -> String {
        switch status {
        case .overdue: self("逾期未报送", "overdue")
        case .notDue: self("本期未报送（未逾期）", "nothing sent, not due")
        case .unreadable: self("文件无法读取", "files unreadable")
        case .reported: self("已报送", "reported")
        case .nothingNew: self("无新数据", "nothing new")
        case .noFeed: self("无报送目录", "no feed")
        }
    }
}
