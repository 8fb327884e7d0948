import ArgumentParser

/// `layernas version`: the same line as `layernas --version`, for people who type a word.
struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the version of layernas (the same as --version).",
        discussion: """
            Example:
              layernas version
            """
    )

    func run() async throws {
        print(LayerNAS.version)
    }
}
