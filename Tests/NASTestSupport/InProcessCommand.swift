import ArgumentParser
import NASCommands

/// Parses a command line in process, exactly as the `layernas` executable does, without running
/// it: tests of options, defaults and usage errors need no binary and no subprocess.
public enum InProcessCommand {
    /// The parsed subcommand for `arguments` (without the program name).
    public static func parse(_ arguments: [String]) throws -> any ParsableCommand {
        try LayerNAS.parseAsRoot(arguments)
    }

    /// The message `layernas` prints for arguments that do not parse (nil when they parse).
    public static func usageError(_ arguments: [String]) -> String? {
        do {
            _ = try LayerNAS.parseAsRoot(arguments)
            return nil
        } catch {
            return LayerNAS.message(for: error)
        }
    }
}
