/// What `TemplateCatalog.check()` found in one locale.
public struct LocaleReport: Sendable, Equatable {
    /// The locale, as named by its file.
    public var locale: String
    /// Its number of template keys (metadata excluded).
    public var keys: Int
    /// One line per problem, for humans: names keys and arguments, never whole patterns.
    public var problems: [String]
    /// No problems.
    public var isClean: Bool { problems.isEmpty }

    public init(locale: String, keys: Int, problems: [String]) {
        self.locale = locale
        self.keys = keys
        self.problems = problems
    }
}
