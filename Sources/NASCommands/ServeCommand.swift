import ArgumentParser
import Foundation
import NASQuery
import NASServe

/// `layernas serve DB [DB ...]`: the read-only web dashboard and JSON API (NASServe,
/// docs/ARCHITECTURE.md#dashboard). This command only checks its input, chooses or takes the
/// access token, and prints where the dashboard is.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a live, read-only web dashboard and JSON API over search databases.",
        discussion: """
            Opens every database read-only (a running search is never blocked) and serves the \
            searches, a live page per search (progress, ETA, history and Pareto plots, store fill), \
            the candidate table, candidate pages and a compare page, and the same data as JSON under \
            /api (README "Dashboard"). Listens on loopback by default; any other address requires \
            an access token: --token, or one generated and printed once. Ctrl-C stops it.

            Example:
              layernas serve runs/mlp.db
              layernas serve runs/mlp.db runs/cnn.db --port 8400
              layernas serve runs/mlp.db --host 0.0.0.0
            """
    )

    @Argument(help: "Paths of the search databases.")
    var databases: [String]

    @Option(help: "Address to listen on: an IP address or localhost. Anything but loopback requires a token.")
    var host = "127.0.0.1"

    @Option(help: "TCP port (0: any free port).")
    var port = 8300

    @Option(help: ArgumentHelp("Access token required on every request (default: none on loopback, generated otherwise).", valueName: "token"))
    var token: String?

    func validate() throws {
        guard !databases.isEmpty else { throw ValidationError("give at least one database") }
        if let token, token.count < 8 || !token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            throw ValidationError("--token: use at least 8 letters, digits, '-' or '_'")
        }
    }

    func run() async throws {
        let address: ListenAddress
        do {
            address = try ListenAddress(host: host, port: port)
        } catch {
            throw CommandFailure(status: .badInput, description: error.description)
        }
        let catalog: DashboardCatalog
        do {
            catalog = try DashboardCatalog(paths: databases) { owner, heartbeat in
                ProcessIdentity.isAlive(owner: owner, heartbeat: heartbeat)
            }
        } catch {
            throw error.commandFailure
        }
        let generated = token == nil && !address.isLoopback
        let accessToken = token ?? (address.isLoopback ? nil : ServeCommand.newToken())
        let count = databases.count
        do {
            try await DashboardServer.run(catalog: catalog, address: address, token: accessToken) { port in
                let base = "http://\(address.authority(port: port))/"
                var lines = ["layernas serve: \(base) (\(count) database\(count == 1 ? "" : "s"), read-only); Ctrl-C stops"]
                if let accessToken {
                    if generated { lines.append("access token (printed once): \(accessToken)") }
                    lines.append("open: \(base)?token=\(accessToken)")
                }
                // Unbuffered: a script or test reads the address while the server runs.
                FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
            }
        } catch let failure as DashboardServer.StartFailure {
            throw CommandFailure(status: .badInput, description: failure.description)
        }
    }

    /// A fresh access token for a non-loopback bind.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<24).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
