import Foundation

/// Runs the built `layernas` binary as a user would, capturing its output and exit status.
///
/// The binary is `$LAYERNAS_BIN` (set by `make test`) or `.build/debug/layernas` of this package.
public enum CommandRunner {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary the end-to-end tests run.
    public static var binary: String {
        if let path = ProcessInfo.processInfo.environment["LAYERNAS_BIN"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent(".build/debug/layernas").path
    }

    /// Exit status and everything the command printed.
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public init(status: Int32, stdout: String, stderr: String) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
        }

        public var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }
    }

    /// Runs the binary with `arguments` in `directory` (default: the package root) and waits.
    public static func run(_ arguments: [String], executable: String = binary, directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes to the end before waiting, so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self)
        )
    }

    /// Starts the binary in the background, output discarded (for tests that signal or kill it).
    public static func start(_ arguments: [String]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Waits until `path` exists (a started command wrote it), at most `timeout` seconds.
    public static func waitForFile(_ path: String, timeout: Double = 60) {
        let deadline = Date().addingTimeInterval(timeout)
        while !FileManager.default.fileExists(atPath: path) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
    }

    /// Path of a file in `examples/`.
    public static func example(_ name: String) -> String {
        packageRoot.appendingPathComponent("examples/\(name)").path
    }
}
