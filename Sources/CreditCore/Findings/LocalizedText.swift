/// Text shown to reviewers and departments: Chinese by default, English available.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var zh: String
    public var en: String

    public init(zh: String, en: String) {
        self.zh = zh
        self.en = en
    }

    public func text(_ language: Language) -> String {
        switch language {
        case .zh: zh
        case .en: en
        }
    }

    /// The text completed with a finding's detail in brackets, written through `template` (whose
    /// `{}` stands for the detail) when there is one: `统一社会信用代码校验码错误（校验码应为 C）`.
    public func text(_ language: Language, detail: String?, template: LocalizedText?) -> String {
        let base = text(language)
        guard let detail else { return base }
        let filled = template.map { $0.text(language).replacing("{}", with: detail, maxReplacements: 1) } ?? detail
        return language == .zh ? "\(base)（\(filled)）" : "\(base) (\(filled))"
    }
}

/// The languages reports, feedback and rule messages are written in.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case zh
    case en
}
