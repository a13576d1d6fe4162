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
}

/// The languages reports, feedback and rule messages are written in.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case zh
    case en
}
