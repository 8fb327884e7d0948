import Foundation
import NASTestSupport
import Testing

/// `layernas serve` end to end: the built binary serves databases made by real searches (one of
/// them still running) on a free port; every page and API route is checked over HTTP, with the
/// escaping of a hostile search name, the token on a non-loopback bind, refused log paths, the
/// bad-input lines, and database files that stay byte for byte the same. README "Dashboard",
/// docs/ARCHITECTURE.md#dashboard.
@Suite struct ServeTests {
    static let fashion = CommandRunner.example("fashion-mlp.yaml")
    static let hostile = "<script>alert(1)</script>"

    /// Two finished searches (one named hostilely) in one file, and an external-command search
    /// whose candidates wrote logs (with markup) and a learning curve, in another.
    static func finishedDatabases(_ directory: TemporaryDirectory) throws -> (searches: String, external: String) {
        let searches = directory.path("searches.db")
        for arguments in [
            ["--name", "plain", "--budget", "60"],
            ["--name", hostile, "--budget", "20", "--strategy", "random"],
        ] {
            let result = try CommandRunner.run(["search", searches, "--space", fashion, "--evaluator", "synthetic", "--quiet"] + arguments)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let script = directory.path("eval.sh")
        try """
            echo "stdout of <b>a candidate</b>"
            echo "stderr <i>warning</i>" >&2
            echo '{"score": 0.5, "curve": [{"epoch": 1, "validation_accuracy": 0.4}, {"epoch": 2, "validation_accuracy": 0.5}]}'
            """.write(toFile: script, atomically: true, encoding: .utf8)
        let external = directory.path("external.db")
        let result = try CommandRunner.run(["search", external, "--space", SearchCommandTests.burger, "--evaluator", "command:sh \(script)", "--budget", "4", "--quiet"])
        #expect(result.status == 0, "\(result.stderr)")
        return (searches, external)
    }

    static func object(_ value: Any?) -> [String: Any] { value as? [String: Any] ?? [:] }
    static func array(_ value: Any?) -> [[String: Any]] { value as? [[String: Any]] ?? [] }

    @Test func everyPageAndRouteAnswersFromFinishedSearches() async throws {
        let directory = try TemporaryDirectory()
        let (searchesDB, externalDB) = try Self.finishedDatabases(directory)
        let before = [fileBytes(searchesDB), fileBytes(externalDB)]
        let server = try DashboardProcess([searchesDB, externalDB])

        // The searches list, as JSON and as a page.
        let list = try await server.get("/api/searches")
        #expect(list.status == 200 && list.headers["content-type"]?.hasPrefix("application/json") == true)
        let searches = Self.array(try list.json())
        #expect(searches.map { $0["name"] as? String } == ["plain", Self.hostile, "burger"])
        for search in searches {
            for key in ["database", "id", "name", "strategy", "evaluator", "status", "evaluated", "budget", "bestCandidateID", "elapsedSeconds"] {
                #expect(search[key] != nil, "\(key) missing in \(search)")
            }
            #expect(search["status"] as? String == "finished")
            #expect(search["evaluated"] as? Int == search["budget"] as? Int)
        }
        for (asset, type) in [("/dashboard.js", "text/javascript"), ("/dashboard.css", "text/css")] {
            let answer = try await server.get(asset)
            #expect(answer.status == 200 && answer.headers["content-type"]?.hasPrefix(type) == true && !answer.body.isEmpty)
        }
        let home = try await server.get("/")
        #expect(home.status == 200 && home.body.contains("id=\"searches\""))
        #expect(home.headers["content-security-policy"]?.contains("script-src 'self'") == true)

        for search in searches {
            let database = search["database"] as! Int
            let id = search["id"] as! Int
            let evaluated = search["evaluated"] as! Int
            let base = "/searches/\(database)/\(id)"

            let page = try await server.get(base)
            #expect(page.status == 200)
            #expect(page.body.contains("id=\"history-plot\"") && page.body.contains("id=\"pareto-plot\"") && page.body.contains("id=\"store-fill\""))
            #expect(page.body.components(separatedBy: "<svg").count - 1 == 2, "a history and a Pareto plot")
            #expect(page.body.contains("id=\"settings\"") && page.body.contains("id=\"spec\""))
            for plot in ["history.svg", "pareto.svg"] {
                let svg = try await server.get("\(base)/\(plot)")
                #expect(svg.status == 200 && svg.headers["content-type"]?.hasPrefix("image/svg+xml") == true && svg.body.contains("<svg"))
            }

            let detail = Self.object(try (await server.get("/api\(base)")).json())
            #expect(Self.object(detail["search"])["name"] as? String == search["name"] as? String)
            #expect(!Self.array(detail["layers"]).isEmpty && detail["settingsJSON"] is String && detail["spaceJSON"] is String)

            let history = Self.array(try (await server.get("/api\(base)/history")).json())
            #expect(history.count == evaluated)
            #expect(history.map { $0["evaluation"] as? Int } == (1...evaluated).map { $0 })
            let front = Self.object(try (await server.get("/api\(base)/front")).json())
            #expect(front["considered"] as? Int == evaluated && !Self.array(front["front"]).isEmpty)
            #expect(Self.object(front["answer"])["candidateID"] as? Int == search["bestCandidateID"] as? Int)
        }

        // The candidate table: counts, pages, sorting, filters, CSV.
        let plain = "/searches/0/1"
        let all = Self.object(try (await server.get("/api\(plain)/candidates?size=500")).json())
        let total = all["total"] as! Int
        #expect(Self.array(all["rows"]).count == total && total >= 60)
        let first = Self.object(try (await server.get("/api\(plain)/candidates?size=7&page=1")).json())
        let second = Self.object(try (await server.get("/api\(plain)/candidates?size=7&page=2")).json())
        let fourteen = Self.object(try (await server.get("/api\(plain)/candidates?size=14")).json())
        let ids = { (table: [String: Any]) in Self.array(table["rows"]).map { $0["id"] as! Int } }
        #expect(ids(first).count == 7 && ids(first) + ids(second) == ids(fourteen))
        let byScore = Self.array(Self.object(try (await server.get("/api\(plain)/candidates?sort=score&order=desc&status=evaluated&size=500")).json())["rows"])
        let scores = byScore.map { $0["score"] as! Double }
        #expect(scores == scores.sorted(by: >) && scores.count == 60)
        let inWindow = Self.array(Self.object(try (await server.get("/api\(plain)/candidates?window=in&size=500")).json())["rows"])
        #expect(!inWindow.isEmpty && inWindow.allSatisfy { $0["inWindow"] as? Bool == true })
        let layerTwo = Self.array(Self.object(try (await server.get("/api\(plain)/candidates?layer=2&size=500")).json())["rows"])
        #expect(!layerTwo.isEmpty && layerTwo.allSatisfy { $0["layer"] as? Int == 2 })
        let label = String((Self.array(all["rows"]).first!["arch"] as! String).split(separator: "-").first!)
        let withOption = Self.array(Self.object(try (await server.get("/api\(plain)/candidates?option=1:\(label)&size=500")).json())["rows"])
        #expect(!withOption.isEmpty && withOption.allSatisfy { ($0["arch"] as! String).hasPrefix(label + "-") })
        #expect(withOption.count < total)
        // A filter no index answers alone (an option) is counted only some pages ahead: a lower
        // bound then. Status, window and layer are always counted exactly.
        var optionCounts: [String: Int] = [:]
        for row in Self.array(all["rows"]) {
            for (index, option) in (row["arch"] as! String).split(separator: "-").enumerated() {
                optionCounts["\(index + 1):\(option)", default: 0] += 1
            }
        }
        let commonest = optionCounts.max { $0.value < $1.value }!.key
        let both = "/api\(plain)/candidates?option=\(commonest)"
        let exact = Self.object(try (await server.get(both + "&size=500")).json())
        let exactTotal = Self.array(exact["rows"]).count
        #expect(exact["total"] as? Int == exactTotal && exact["totalIsExact"] as? Bool == true && exactTotal > 22)
        let indexed = Self.object(try (await server.get("/api\(plain)/candidates?status=evaluated&window=in&layer=2&size=1")).json())
        #expect(indexed["totalIsExact"] as? Bool == true)
        let bounded = Self.object(try (await server.get(both + "&size=1")).json())
        #expect(bounded["totalIsExact"] as? Bool == false && (bounded["total"] as! Int) < exactTotal && (bounded["total"] as! Int) > 1)
        #expect(all["totalIsExact"] as? Bool == true)
        let tablePage = try await server.get("\(plain)/candidates?sort=score&order=desc&window=in")
        #expect(tablePage.status == 200 && tablePage.body.contains("id=\"candidates\"") && tablePage.body.contains("id=\"filters\""))
        let csv = try await server.get("\(plain)/candidates.csv")
        #expect(csv.status == 200 && csv.headers["content-type"]?.hasPrefix("text/csv") == true)
        let lines = csv.body.split(separator: "\n")
        #expect(lines.first?.hasPrefix("id,seq,arch,status,score") == true && lines.count == total + 1)
        let evaluatedCSV = try await server.get("\(plain)/candidates.csv?status=evaluated")
        #expect(evaluatedCSV.body.split(separator: "\n").count == 61, "the CSV keeps the table's filters")
        let refused = try await server.get("/api\(plain)/candidates?sort=bogus")
        #expect(refused.status == 400 && refused.body.contains("sort=bogus"))

        // A candidate: options, costs, lineage back to a base model.
        let best = searches[0]["bestCandidateID"] as! Int
        let candidate = Self.object(try (await server.get("/api/candidates/0/\(best)")).json())
        #expect(candidate["id"] as? Int == best && candidate["search"] as? String == "plain")
        #expect(Self.array(candidate["options"]).count == 4)
        let lineage = Self.array(candidate["lineage"])
        if let base = lineage.last {
            let root = Self.object(try (await server.get("/api/candidates/0/\(base["id"] as! Int)")).json())
            #expect(Self.array(root["lineage"]).isEmpty, "the chain ends at a candidate without parent")
        }
        let candidatePage = try await server.get("/candidates/0/\(best)")
        #expect(candidatePage.status == 200 && candidatePage.body.contains("id=\"options\"") && candidatePage.body.contains("id=\"lineage\""))

        // An external command's candidate: its curve and its logs, escaped.
        let external = searches[2]
        let externalID = external["bestCandidateID"] as! Int
        let externalPage = try await server.get("/candidates/1/\(externalID)")
        #expect(externalPage.body.contains("stdout of &lt;b&gt;a candidate&lt;/b&gt;"), "\(externalPage.body)")
        #expect(externalPage.body.contains("stderr &lt;i&gt;warning&lt;/i&gt;"))
        #expect(externalPage.body.contains("id=\"curve-plot\"><svg") || externalPage.body.contains("id=\"curve-plot\">\n<svg"))
        let externalJSON = Self.object(try (await server.get("/api/candidates/1/\(externalID)")).json())
        #expect(Self.array(externalJSON["epochs"]).count == 2)
        #expect((Self.object(externalJSON["logs"])["stdout.log"] as? String)?.contains("candidate \(externalID) ") == true, "the log of its own attempt")
        #expect((Self.object(externalJSON["logs"])["stdout.log"] as? String)?.hasSuffix("stdout of <b>a candidate</b>\n" + #"{"score": 0.5, "curve": [{"epoch": 1, "validation_accuracy": 0.4}, {"epoch": 2, "validation_accuracy": 0.5}]}"# + "\n") == true)
        let raw = try await server.get("/candidates/1/\(externalID)/logs/stderr.log")
        #expect(raw.status == 200 && raw.body.hasSuffix("\nstderr <i>warning</i>\n") && raw.headers["content-type"]?.hasPrefix("text/plain") == true)
        #expect((try await server.get("/candidates/1/\(externalID)/curves.svg")).body.contains("<svg"))

        // Compare: both searches of the first file overlaid; with the external one (another target
        // metric) only on explicit objectives.
        let compare = try await server.get("/compare?search=0:1&search=0:2")
        #expect(compare.status == 200 && compare.body.components(separatedBy: "<svg").count - 1 == 2)
        #expect(compare.body.contains("plain") && compare.body.components(separatedBy: "class=\"front\"").count - 1 == 2, "two fronts")
        let mixed = try await server.get("/compare?search=0:1&search=1:1")
        #expect(mixed.status == 400 && mixed.body.contains("different target metrics"))
        let threeWays = try await server.get("/compare?search=0:1&search=0:2&search=1:1&objectives=score:max,cost:min")
        #expect(threeWays.status == 200 && threeWays.body.components(separatedBy: "class=\"front\"").count - 1 == 3, "three fronts")
        #expect((try await server.get("/compare")).status == 200)

        // Unknown things are 404, malformed ones 400.
        #expect((try await server.get("/searches/0/99")).status == 404)
        #expect((try await server.get("/api/searches/7/1")).status == 404)
        #expect((try await server.get("/api/candidates/0/999999")).status == 404)
        #expect((try await server.get("/searches/zero/1")).status == 400)
        #expect((try await server.get("/compare?search=nonsense")).status == 400)

        server.stop()
        #expect([fileBytes(searchesDB), fileBytes(externalDB)] == before, "the server never writes to a database")
    }

    @Test func aHostileSearchNameIsEscapedEverywhere() async throws {
        let directory = try TemporaryDirectory()
        let (searchesDB, _) = try Self.finishedDatabases(directory)
        let server = try DashboardProcess([searchesDB])
        let searches = Self.array(try (await server.get("/api/searches")).json())
        let hostile = searches.first { $0["name"] as? String == Self.hostile }!
        let id = hostile["id"] as! Int
        let best = hostile["bestCandidateID"] as! Int
        for path in ["/", "/searches/0/\(id)", "/searches/0/\(id)/candidates", "/candidates/0/\(best)", "/compare?search=0:1&search=0:\(id)",
                     "/searches/0/\(id)/history.svg", "/searches/0/\(id)/pareto.svg"] {
            let answer = try await server.get(path)
            #expect(answer.status == 200, "\(path)")
            #expect(!answer.body.contains(Self.hostile), "\(path) holds the name unescaped")
            #expect(answer.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(path) does not show the name")
        }
        // JSON carries the name as data, exactly.
        #expect((Self.object(try (await server.get("/api/searches/0/\(id)")).json())["search"] as? [String: Any])?["name"] as? String == Self.hostile)
    }

    @Test func logsAreServedOnlyFromTheCandidatesOwnDirectory() async throws {
        let directory = try TemporaryDirectory()
        let (_, externalDB) = try Self.finishedDatabases(directory)
        // A log that is a symbolic link out of the working directory is refused like a path.
        let folder = externalDB + "-artifacts/1"
        try FileManager.default.removeItem(atPath: folder + "/stderr.log")
        try FileManager.default.createSymbolicLink(atPath: folder + "/stderr.log", withDestinationPath: externalDB)
        let server = try DashboardProcess([externalDB])
        #expect((try await server.get("/candidates/0/1/logs/stdout.log")).status == 200)
        for path in ["/candidates/0/1/logs/stderr.log", "/candidates/0/1/logs/..%2F..%2Fexternal.db", "/candidates/0/1/logs/request.json",
                     "/candidates/0/1/logs/.layernas-database", "/candidates/0/1/logs/%2Fetc%2Fpasswd", "/candidates/0/..%2F1/logs/stdout.log"] {
            let answer = try await server.get(path)
            #expect(answer.status == 404 || answer.status == 400, "\(path): \(answer.status)")
            #expect(!answer.body.contains("SQLite format") && !answer.body.contains("root:"), "\(path) leaked a file")
        }
        let page = Self.object(try (await server.get("/api/candidates/0/1")).json())
        #expect(Self.object(page["logs"]).keys.sorted() == ["stdout.log"])
    }

    @Test func aNonLoopbackBindRequiresTheTokenOnEveryRequest() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("t.db")
        #expect(try CommandRunner.run(["search", database, "--space", Self.fashion, "--evaluator", "synthetic", "--budget", "10", "--quiet"]).status == 0)
        let server = try DashboardProcess([database, "--host", "0.0.0.0"])
        let printed = server.banner.components(separatedBy: "access token (printed once): ").last?.prefix { !$0.isWhitespace } ?? ""
        let token = String(printed)
        #expect(token.count >= 32, "\(server.banner)")
        for path in ["/", "/api/searches", "/searches/0/1", "/dashboard.js", "/api/candidates/0/1", "/nothing"] {
            #expect((try await server.get(path)).status == 401, "\(path) without a token")
            #expect((try await server.get(path, headers: ["Authorization": "Bearer wrong\(token.dropFirst(5))"])).status == 401, "\(path) with a wrong token")
            #expect((try await server.get(path + (path.contains("?") ? "&" : "?") + "token=x")).status == 401)
        }
        #expect((try await server.get("/api/searches", headers: ["Authorization": "Bearer \(token)"])).status == 200)
        #expect((try await server.get("/api/searches", headers: ["Cookie": "layernas_token=\(token)"])).status == 200)
        let link = try await server.get("/?token=\(token)")
        #expect(link.status == 200 && link.headers["set-cookie"]?.contains("layernas_token=\(token)") == true)

        // A token given on loopback is enforced as well.
        let chosen = try DashboardProcess([database, "--token", "my-secret-token"])
        #expect((try await chosen.get("/api/searches")).status == 401)
        #expect((try await chosen.get("/api/searches", headers: ["Authorization": "Bearer my-secret-token"])).status == 200)
        #expect(!chosen.banner.contains("printed once"))
    }

    @Test func aRunningSearchIsLiveAndADeadOwnerIsShownStopped() async throws {
        let directory = try TemporaryDirectory()
        let (started, go) = (directory.path("started"), directory.path("go"))
        // Evaluations wait for the test's "go"; the fourth never ends, so the search stays
        // running however slowly a loaded machine lets the test go on.
        try """
            echo $$ >> \(started)
            [ "$(wc -l < \(started))" -ge 4 ] && while :; do sleep 1; done
            while [ ! -f \(go) ]; do sleep 0.05; done
            echo '{"score": 0.5}'
            """.write(toFile: directory.path("gated.sh"), atomically: true, encoding: .utf8)
        let database = directory.path("live.db")
        let search = try CommandRunner.start(["search", database, "--space", Self.fashion, "--evaluator", "command:sh \(directory.path("gated.sh"))", "--quiet"])
        func stopSearch() {
            if search.isRunning { kill(search.processIdentifier, SIGKILL) }
            // Each evaluation is its own process group, led by the script's shell; only the
            // last one started can still run (they run one at a time).
            let lines = ((try? String(contentsOfFile: started, encoding: .utf8)) ?? "").split(separator: "\n")
            if let last = lines.last, let group = Int32(last) { kill(-group, SIGKILL) }
        }
        defer { stopSearch() }
        CommandRunner.waitForFile(started, timeout: 60)
        let server = try DashboardProcess([database])
        let first = Self.array(try (await server.get("/api/searches")).json()).first ?? [:]
        #expect(first["status"] as? String == "running", "\(first)")
        #expect(first["evaluated"] as? Int == 0 && first["running"] as? Int == 1, "\(first)")
        #expect((first["owner"] as? String)?.contains(":\(search.processIdentifier)") == true)
        // New evaluations appear while it runs, with nothing reloaded but the API.
        FileManager.default.createFile(atPath: go, contents: Data())
        var later = first
        let deadline = Date().addingTimeInterval(120)
        while (later["evaluated"] as? Int ?? 0) < 3 && Date() < deadline {
            try await Task.sleep(nanoseconds: 200_000_000)
            later = Self.array(try (await server.get("/api/searches")).json()).first ?? [:]
        }
        #expect(later["evaluated"] as? Int == 3 && later["status"] as? String == "running", "\(later)")
        #expect((try await server.get("/searches/0/1")).body.contains("data-status=\"running\""))
        kill(search.processIdentifier, SIGKILL)
        search.waitUntilExit()
        let dead = Self.array(try (await server.get("/api/searches")).json()).first ?? [:]
        #expect(dead["status"] as? String == "stopped", "\(dead)")
        #expect((dead["stopReason"] as? String)?.contains("is gone") == true)
    }

    @Test func badInputIsOneLineAndExitStatusTwo() throws {
        let directory = try TemporaryDirectory()
        let missing = try CommandRunner.run(["serve", directory.path("missing.db")])
        #expect(missing.status == 2 && missing.stderrLines.count == 1 && missing.stderr.contains("no such database"), "\(missing.stderr)")
        let notOurs = directory.path("plain.txt")
        try "hello".write(toFile: notOurs, atomically: true, encoding: .utf8)
        let wrong = try CommandRunner.run(["serve", notOurs])
        #expect(wrong.status == 2 && wrong.stderrLines.count == 1 && wrong.stderr.contains(notOurs), "\(wrong.stderr)")
        let database = directory.path("d.db")
        #expect(try CommandRunner.run(["search", database, "--space", Self.fashion, "--evaluator", "synthetic", "--budget", "5", "--quiet"]).status == 0)
        let host = try CommandRunner.run(["serve", database, "--host", "example.com"])
        #expect(host.status == 2 && host.stderrLines.count == 1 && host.stderr.contains("--host example.com"), "\(host.stderr)")
        let port = try CommandRunner.run(["serve", database, "--port", "70000"])
        #expect(port.status == 2 && port.stderr.contains("--port 70000"), "\(port.stderr)")
        let server = try DashboardProcess([database])
        let busy = try CommandRunner.run(["serve", database, "--port", String(server.port)])
        #expect(busy.status == 2 && busy.stderrLines.count == 1, "\(busy.stderr)")
        #expect(busy.stderr.contains("cannot listen on 127.0.0.1:\(server.port)") && busy.stderr.lowercased().contains("in use"), "\(busy.stderr)")
    }
}
