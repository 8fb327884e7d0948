import ArgumentParser
import NASSpace

/// `layernas space show SPEC`: layers, options, size, cost range and window census.
struct SpaceShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Validate a spec and describe its layers, size and cost range.",
        discussion: """
            Prints every layer and option with the range of target costs of the architectures that \
            use it, the number of architectures, the cost range, the default (most expensive) \
            architecture and how many architectures lie inside the target window (exact up to \
            10^7 architectures, estimated by sampling beyond).

            Example:
              layernas space show examples/burger.yaml
              layernas space show examples/fashion-mlp.yaml --format json
            """
    )

    @OptionGroup var file: SpecFileOptions

    @Option(help: "Output format.")
    var format: OutputFormat = .text

    func run() async throws {
        try format.print(SpaceReport(space: try file.load()))
    }
}
