import ArgumentParser
import NASSpace

/// `layernas space cost SPEC KEY`: every cost metric of one architecture.
struct SpaceCostCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cost",
        abstract: "Print the cost metrics of one architecture.",
        discussion: """
            The architecture is given by its canonical key: the option labels of every layer \
            joined by '-'.

            Example:
              layernas space cost examples/burger.yaml C-B-D
            """
    )

    @OptionGroup var file: SpecFileOptions

    @Argument(help: "Architecture key, e.g. C-B-D.")
    var key: String

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let space = try file.load()
        try format.print(ArchitectureReport(space: space, architecture: try space.architecture(key: key)))
    }
}
