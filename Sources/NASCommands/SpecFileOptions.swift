import ArgumentParser
import NASSpace

/// The spec-file argument of the `space` subcommands, and how they load it.
struct SpecFileOptions: ParsableArguments {
    @Argument(help: "The search-space file (YAML or JSON).")
    var spec: String

    /// The space the file describes, validated.
    func load() throws -> SearchSpace {
        try SpecLoader.load(path: spec)
    }
}
