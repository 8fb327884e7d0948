import Foundation
import NASTestSupport
import Testing

/// The dashboard in a real browser: Debian's headless Chromium loads the searches list, a search
/// page, the candidate table and a candidate page from a running `layernas serve`; the DOM it
/// built must hold the plots and tables, the console must hold no error, and the screenshots
/// (saved under `.build/test-output/dashboard/`) must not be blank. The page of a running
/// search must show a new evaluation without a reload. Skipped, with the reason, where
/// /usr/bin/chromium is missing (`make test-browser` installs it). README "Dashboard".
@Suite(.serialized, .enabled(if: HeadlessChromium.available, "headless Chromium not found at /usr/bin/chromium; `make test-browser` installs it (apt-get install chromium)"))
struct DashboardBrowserTests {
    /// Where the screenshots stay after the test.
    static let output = CommandRunner.packageRoot.appendingPathComponent(".build/test-output/dashboard")

    /// What Chromium made of a page: its DOM after the scripts ran, and its console lines.
    struct Visit {
        var dom: String
        var console: [String]
    }

    /// Loads `url` twice in headless Chromium: once for the DOM (after `virtualMilliseconds` of
    /// page time, so timers and polls run), once for a screenshot named `name`.
    static func visit(_ url: String, name: String, virtualMilliseconds: Int = 3000, in directory: TemporaryDirectory) throws -> Visit {
        func chromium(_ extra: [String]) throws -> CommandRunner.Result {
            try CommandRunner.run([
                "90", HeadlessChromium.path, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--user-data-dir=\(directory.path("profile-\(name)"))", "--enable-logging=stderr", "--v=0",
                "--window-size=1280,1400", "--virtual-time-budget=\(virtualMilliseconds)",
            ] + extra + [url], executable: "/usr/bin/timeout")
        }
        let dumped = try chromium(["--dump-dom"])
        #expect(dumped.status == 0, "\(dumped.stderr)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        let screenshot = output.appendingPathComponent("\(name).png").path
        try? FileManager.default.removeItem(atPath: screenshot)
        let shot = try chromium(["--screenshot=\(screenshot)"])
        #expect(shot.status == 0, "\(shot.stderr)")
        #expect(try BrowserRenderTests.inkShare(ofPNG: screenshot) > 0.01, "screenshot \(screenshot) is (nearly) blank")
        let console = (dumped.stderr + "\n" + shot.stderr).split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Visit(dom: dumped.stdout, console: console)
    }

    /// Console lines that are not the dashboard's own "live" notes: errors, CSP refusals, ...
    static func complaints(_ visit: Visit) -> [String] {
        visit.console.filter { !$0.contains("\"layernas-live evaluated") }
    }

    @Test func pagesRenderWithPlotsAndTablesAndNoConsoleErrors() throws {
        let directory = try TemporaryDirectory()
        let (searches, external) = try ServeTests.finishedDatabases(directory)
        let server = try DashboardProcess([searches, external])
        let list = try Self.visit(server.base + "/", name: "searches", in: directory)
        #expect(list.dom.contains("id=\"searches\"") && list.dom.contains("class=\"search-link\""))
        #expect(!list.dom.contains(ServeTests.hostile), "the hostile name stays text in the DOM")
        #expect(Self.complaints(list).isEmpty, "console: \(list.console)")

        let search = try Self.visit(server.base + "/searches/0/1", name: "search", in: directory)
        for element in ["id=\"history-plot\"", "id=\"pareto-plot\"", "id=\"store-fill\"", "class=\"point", "class=\"front\""] {
            #expect(search.dom.contains(element), "\(element) missing from the search page's DOM")
        }
        #expect(search.dom.components(separatedBy: "<svg").count - 1 == 2)
        #expect(Self.complaints(search).isEmpty, "console: \(search.console)")

        let table = try Self.visit(server.base + "/searches/0/1/candidates?sort=score&order=desc", name: "candidates", in: directory)
        #expect(table.dom.contains("id=\"candidates\"") && table.dom.components(separatedBy: "<tr>").count - 1 == 51, "a header and a full page of 50 rows")
        #expect(Self.complaints(table).isEmpty, "console: \(table.console)")

        let candidate = try Self.visit(server.base + "/candidates/1/3", name: "candidate", in: directory)
        #expect(candidate.dom.contains("id=\"options\"") && candidate.dom.range(of: #"id="curve-plot">\s*<svg"#, options: .regularExpression) != nil)
        #expect(candidate.dom.contains("stdout of &lt;b&gt;a candidate&lt;/b&gt;"))
        #expect(Self.complaints(candidate).isEmpty, "console: \(candidate.console)")
    }

    /// A real mouse click (DevTools protocol, `Fixtures/chromium-click.py`) on a mark of the
    /// Pareto plot opens the page of the candidate its tooltip names.
    @Test func clickingAParetoMarkOpensItsCandidate() throws {
        let directory = try TemporaryDirectory()
        let (searches, external) = try ServeTests.finishedDatabases(directory)
        let server = try DashboardProcess([searches, external])
        let script = CommandRunner.packageRoot.appendingPathComponent("Tests/NASCommandsTests/Fixtures/chromium-click.py").path
        for selector in ["#pareto-plot .front-point", "#pareto-plot .point.in-window"] {
            let clicked = try CommandRunner.run(["90", "/usr/bin/python3", script, HeadlessChromium.path, directory.path("profile-click"),
                                                 server.base + "/searches/0/1", selector], executable: "/usr/bin/timeout")
            #expect(clicked.status == 0, "\(clicked.stderr)")
            let report = try JSONSerialization.jsonObject(with: Data(clicked.stdout.utf8)) as? [String: Any]
            let expected = try #require(report?["expected"] as? Int, "no candidate under the \(selector) mark: \(clicked.stdout)")
            #expect(report?["landed"] as? String == "/candidates/0/\(expected)", "\(clicked.stdout)")
            #expect((report?["title"] as? String)?.hasPrefix("Candidate \(expected) ") == true, "\(clicked.stdout)")
        }
    }

    /// The console check can fail: a script error on a page is one of the lines it reports.
    @Test func aConsoleErrorIsCaught() throws {
        let directory = try TemporaryDirectory()
        let page = directory.path("broken.html")
        try "<!DOCTYPE html><html><body style=\"background:#333\"><p>broken</p><script>undefinedFunction();</script></body></html>"
            .write(toFile: page, atomically: true, encoding: .utf8)
        let broken = try Self.visit(URL(fileURLWithPath: page).absoluteString, name: "console-error", virtualMilliseconds: 500, in: directory)
        #expect(Self.complaints(broken).contains { $0.contains("undefinedFunction") }, "console: \(broken.console)")
    }

    @Test func theLivePageShowsANewEvaluationWithoutAReload() async throws {
        let directory = try TemporaryDirectory()
        let script = directory.path("slow.sh")
        try "echo $$ >> \(directory.path("started"))\nsleep 0.5\necho '{\"score\": 0.5}'\n".write(toFile: script, atomically: true, encoding: .utf8)
        let database = directory.path("live.db")
        let search = try CommandRunner.start(["search", database, "--space", ServeTests.fashion, "--evaluator", "command:sh \(script)", "--budget", "400", "--quiet"])
        defer { if search.isRunning { kill(search.processIdentifier, SIGKILL) } }
        CommandRunner.waitForFile(directory.path("started"), timeout: 30)
        let server = try DashboardProcess([database])
        let before = ServeTests.object(try (await server.get("/api/searches/0/1")).json())
        let served = ServeTests.object(before["search"])["evaluated"] as? Int ?? 0
        // Many polls of page time: Chromium's virtual time stands still while a request is out, so
        // this takes a few seconds of real time, in which the search evaluates more candidates.
        let live = try Self.visit(server.base + "/searches/0/1", name: "live", virtualMilliseconds: 400_000, in: directory)
        let updates = live.console.filter { $0.contains("\"layernas-live evaluated") }
        #expect(!updates.isEmpty, "the page never saw a new evaluation: \(live.console)")
        let shown = live.dom.components(separatedBy: "<span id=\"evaluated\">").last.flatMap { Int($0.prefix { $0.isNumber }) } ?? 0
        #expect(shown > served, "the page shows \(shown) evaluations, as many as when it was served (\(served))")
        let plotted = live.dom.components(separatedBy: "id=\"history-plot\"").last?.components(separatedBy: "class=\"point ").count ?? 1
        #expect(plotted - 1 > served, "the history plot was redrawn with the new evaluations")
        #expect(Self.complaints(live).isEmpty, "console: \(live.console)")
    }
}
