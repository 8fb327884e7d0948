import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import NASTestSupport

/// A `layernas serve` started by a test as a user starts it (the built binary, `--port 0` so the
/// system picks a free port), read from its first output lines, and stopped with SIGTERM.
final class DashboardProcess: @unchecked Sendable {
    let process: Process
    /// `http://127.0.0.1:PORT` (no trailing slash).
    let base: String
    /// The port it listens on.
    let port: Int
    /// Everything it printed before it was ready.
    let banner: String

    /// Starts `layernas serve ARGUMENTS --port 0` and waits until it prints where it listens.
    init(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandRunner.binary)
        process.arguments = ["serve"] + arguments + ["--port", "0"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        // The banner is written in one piece once the socket listens; end of file means it died.
        while !text.contains("Ctrl-C stops") {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"http://127\.0\.0\.1:[0-9]+|http://0\.0\.0\.0:[0-9]+"#, options: .regularExpression),
              let port = Int(text[range].split(separator: ":").last ?? "") else {
            process.terminate()
            throw DashboardError(description: "serve did not start: \(text)")
        }
        self.process = process
        self.port = port
        base = "http://127.0.0.1:\(port)"
        banner = text
    }

    struct DashboardError: Error, CustomStringConvertible {
        var description: String
    }

    /// An answer: status, body and headers (names lowercased).
    struct Answer {
        var status: Int
        var body: String
        var headers: [String: String]

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(body.utf8)) }
    }

    /// No cookies kept between requests: every request presents exactly what the test gives it.
    static let session: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.timeoutIntervalForRequest = 60
        return URLSession(configuration: configuration)
    }()

    /// GETs `path` (with its query), with the given extra headers.
    func get(_ path: String, headers: [String: String] = [:]) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await Self.session.data(for: request)
        let http = response as! HTTPURLResponse
        var fields: [String: String] = [:]
        for (name, value) in http.allHeaderFields {
            fields[String(describing: name).lowercased()] = String(describing: value)
        }
        return Answer(status: http.statusCode, body: String(decoding: data, as: UTF8.self), headers: fields)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    deinit { stop() }
}
