import Foundation
import NASTestSupport
import Testing

/// Debian's Chromium, whose presence decides whether the browser tests run.
enum HeadlessChromium {
    static let path = "/usr/bin/chromium"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: path) }
}

/// The three plots (history, Pareto, learning curves) rendered in a real browser: Debian's
/// headless Chromium loads each SVG as an image in a page, takes a screenshot, and must report
/// the image loaded with no console message besides; the screenshot must not be blank.
/// Skipped, with the reason, where /usr/bin/chromium is missing (`make test-browser` installs
/// it). docs/ARCHITECTURE.md#plots.
@Suite(.serialized, .enabled(if: HeadlessChromium.available, "headless Chromium not found at /usr/bin/chromium; `make test-browser` installs it (apt-get install chromium)"))
struct BrowserRenderTests {
    static let chromium = HeadlessChromium.path

    /// What the browser made of a page: the console lines it logged and the share of
    /// screenshot pixels that are not white.
    struct Rendering {
        var status: Int32
        var console: [String]
        var inkShare: Double
    }

    /// Loads `svg` as an `<img>` in a page of `width` × `height` and screenshots it. The page logs
    /// `layernas-loaded WxH` when the image loads and `layernas-failed` when it does not.
    static func render(_ svg: String, width: Int, height: Int, in directory: TemporaryDirectory) throws -> Rendering {
        let name = URL(fileURLWithPath: svg).lastPathComponent
        let page = directory.path("\(name).html")
        try """
            <!DOCTYPE html>
            <html><head><meta charset="utf-8"><title>\(name)</title></head>
            <body style="margin:0;background:#ffffff">
            <img src="\(name)" onload="console.log('layernas-loaded ' + this.naturalWidth + 'x' + this.naturalHeight)" onerror="console.error('layernas-failed: the SVG did not load')">
            </body></html>
            """.write(toFile: page, atomically: true, encoding: .utf8)
        let screenshot = directory.path("\(name).png")
        let result = try CommandRunner.run([
            "60", chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            "--user-data-dir=\(directory.path("profile"))", "--enable-logging=stderr", "--v=0",
            "--window-size=\(width),\(height)", "--screenshot=\(screenshot)", URL(fileURLWithPath: page).absoluteString,
        ], executable: "/usr/bin/timeout")
        // Console messages are logged as `[...:INFO:CONSOLE:LINE] "message", source: ...`.
        let console = result.stderr.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Rendering(status: result.status, console: console, inkShare: try inkShare(ofPNG: screenshot))
    }

    /// The share of pixels of an 8-bit RGB(A) PNG that are not (near) white, decoded with
    /// Python's standard library (zlib) so the test needs no image library.
    static func inkShare(ofPNG path: String) throws -> Double {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let script = """
            import struct, sys, zlib
            data = open(sys.argv[1], 'rb').read()
            assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n'
            pos, idat = 8, b''
            while pos < len(data):
                length, kind = struct.unpack('>I4s', data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + length]
                if kind == b'IHDR':
                    width, height, depth, colour, _, _, interlace = struct.unpack('>IIBBBBB', body)
                elif kind == b'IDAT':
                    idat += body
                pos += 12 + length
            assert depth == 8 and colour in (2, 6) and interlace == 0, (depth, colour, interlace)
            channels = 3 if colour == 2 else 4
            raw = zlib.decompress(idat)
            stride = width * channels
            previous = bytearray(stride)
            ink = 0
            for row in range(height):
                start = row * (stride + 1)
                kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
                for i in range(stride):
                    left = line[i - channels] if i >= channels else 0
                    up = previous[i]
                    corner = previous[i - channels] if i >= channels else 0
                    if kind == 1: line[i] = (line[i] + left) & 255
                    elif kind == 2: line[i] = (line[i] + up) & 255
                    elif kind == 3: line[i] = (line[i] + (left + up) // 2) & 255
                    elif kind == 4:
                        p = left + up - corner
                        pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                        line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
                for x in range(0, stride, channels):
                    if min(line[x], line[x + 1], line[x + 2]) < 235:
                        ink += 1
                previous = line
            print(ink / (width * height))
            """
        let result = try CommandRunner.run(["python3", "-c", script, path], executable: "/usr/bin/env")
        #expect(result.status == 0, "\(result.stderr)")
        return Double(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
    }

    /// Checks one plot: loaded at its size, no other console message, a screenshot with ink.
    static func expectRendered(_ svg: String, width: Int, height: Int, in directory: TemporaryDirectory) throws {
        let rendering = try render(svg, width: width, height: height, in: directory)
        #expect(rendering.status == 0)
        #expect(rendering.console.count == 1, "console: \(rendering.console)")
        #expect(rendering.console.first?.contains("\"layernas-loaded \(width)x\(height)\"") == true, "console: \(rendering.console)")
        #expect(rendering.inkShare > 0.02, "screenshot of \(svg) is (nearly) blank: \(rendering.inkShare)")
    }

    @Test func historyParetoAndCurvesRenderInChromium() throws {
        let directory = try TemporaryDirectory()
        let searches = try PlotCommandTests.twoSearches(directory)
        let curves = try PlotCommandTests.withCurves(directory)
        let ids = try PlotCommandTests.query(curves, "SELECT id FROM candidates WHERE status = 'evaluated' ORDER BY id LIMIT 3")
        let plots: [(arguments: [String], file: String, width: Int, height: Int)] = [
            (["history", searches, "--all"], "history.svg", 1060, 620),
            (["pareto", searches, "--all"], "pareto.svg", 1060, 640),
            (["pareto", searches, "--name", "paper", "--log-x"], "pareto-log.svg", 1060, 640),
            (["curves", curves] + ids.flatMap { ["--candidate", $0] }, "curves.svg", 1060, 720),
        ]
        for plot in plots {
            let output = directory.path(plot.file)
            let written = try CommandRunner.run(plot.arguments + ["--output", output])
            #expect(written.status == 0, "\(written.stderr)")
            try Self.expectRendered(output, width: plot.width, height: plot.height, in: directory)
        }
    }

    /// The checks above can fail: a broken SVG is reported by the page, a blank one has no ink.
    @Test func aBrokenOrBlankSVGIsCaught() throws {
        let directory = try TemporaryDirectory()
        let broken = directory.path("broken.svg")
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><rect></svg>".write(toFile: broken, atomically: true, encoding: .utf8)
        let failed = try Self.render(broken, width: 200, height: 100, in: directory)
        #expect(failed.console.contains { $0.contains("layernas-failed") })
        #expect(!failed.console.contains { $0.contains("layernas-loaded") })
        let blank = directory.path("blank.svg")
        try "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"200\" height=\"100\"><rect width=\"200\" height=\"100\" fill=\"#ffffff\"/></svg>".write(toFile: blank, atomically: true, encoding: .utf8)
        let white = try Self.render(blank, width: 200, height: 100, in: directory)
        #expect(white.console.count == 1 && white.console[0].contains("layernas-loaded 200x100"))
        #expect(white.inkShare < 0.001)
    }
}
