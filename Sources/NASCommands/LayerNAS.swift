import ArgumentParser

/// The `layernas` command: the root of every subcommand.
///
/// The executable calls `LayerNAS.runMain()`, which maps errors to the exit codes of
/// README "Command reference": 0 success, 1 runtime failure, 2 bad usage or bad input, 130 interrupted.
package struct LayerNAS: AsyncParsableCommand {
    /// The version `--version` prints.
    package static let version = "0.1.0"

    /// The root command: its help text and subcommands.
    package static let configuration = CommandConfiguration(
        commandName: "layernas",
        abstract: "LayerNAS neural-architecture search on an embedded SQLite database.",
        discussion: """
            Describe a layerwise search space and a cost window in a YAML or JSON file, then search it. Every candidate, bucket and score is committed to SQLite as it happens; kill the search at any moment and run the same command again to resume it.

            Example:
              layernas space show examples/fashion-mlp.yaml
              layernas search runs/mlp.db --space examples/fashion-mlp.yaml --budget 80
              layernas status runs/mlp.db
              layernas pareto runs/mlp.db --output front.svg
            """,
        version: version,
        subcommands: [
            SpaceCommand.self, InitCommand.self, SearchCommand.self, StatusCommand.self, ListCommand.self, RenameCommand.self,
            DeleteCommand.self, BestCommand.self, TrainCommand.self, BenchCommand.self, QueryCommand.self, ParetoCommand.self,
            HistoryCommand.self, CurvesCommand.self, ExportCommand.self, RetrainCommand.self, ExportModelCommand.self, ServeCommand.self,
            VersionCommand.self,
        ]
    )

    /// ArgumentParser builds commands through this initialiser.
    package init() {}
}
