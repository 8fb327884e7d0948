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

    @Argument(help: "The search-space file (YAML or JSON).")
    var spec: String

    @Argument(help: "Architecture key, e.g. C-B-D.")
    var key: String

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        let space = try SpecLoader.load(path: spec)
        let architecture = try space.architecture(key: key)
        let report = ArchitectureReport(space: space, architecture: architecture)
        try format.print(report)
    }
}
