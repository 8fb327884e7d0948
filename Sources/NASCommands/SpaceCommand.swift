import ArgumentParser

/// `layernas space`: inspect a search-space file without touching any database.
struct SpaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "space",
        abstract: "Check and describe a search-space file.",
        subcommands: [SpaceShowCommand.self, SpaceCostCommand.self]
    )
}
