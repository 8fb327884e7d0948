import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CommandEvaluator {
    /// Splits a command line into words the way a POSIX shell splits a simple command, without
    /// running a shell and without expanding anything.
    ///
    /// - Words are separated by unquoted spaces, tabs and newlines.
    /// - `'...'` keeps everything literally; `"..."` too, except that a backslash escapes
    ///   `"`, `\`, `$` and `` ` `` (other backslashes stay); outside quotes a backslash escapes the
    ///   next character. A backslash before a newline joins the lines.
    /// - Quoted and unquoted parts next to each other make one word: `--name="a b"` is
    ///   `--name=a b`; `''` is an empty word.
    /// - Unquoted shell syntax (`|`, `&`, `;`, `<`, `>`, `(`, `)`, `$`, `` ` ``, and `~` at the start
    ///   of a word) is refused, because no shell would give it its meaning; write
    ///   `sh -c '...'` for pipes, redirections or variables. Glob characters are passed as they are.
    ///
    /// ```swift
    /// try CommandEvaluator.parse(commandLine: #"python3 train.py --tag "wide net" -x 'a b'"#)
    /// // ["python3", "train.py", "--tag", "wide net", "-x", "a b"]
    /// ```
    ///
    /// - Throws: `SearchError.badSetting(name: "evaluator", ...)` for an empty command, an
    ///   unterminated quote, a trailing backslash or unquoted shell syntax, naming the character.
    /// - Complexity: O(n) in the length of the line.
    package static func parse(commandLine: String) throws(SearchError) -> [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var characters = Array(commandLine).makeIterator()
        var position = 0

        func fail(_ message: String) -> SearchError {
            .badSetting(name: "evaluator", message: "command:\(commandLine): \(message)")
        }
        func next() -> Character? {
            position += 1
            return characters.next()
        }

        while let character = next() {
            switch character {
            case " ", "\t", "\n", "\r":
                if inWord { words.append(word) }
                word = ""
                inWord = false
            case "'":
                inWord = true
                var closed = false
                while let inner = next() {
                    if inner == "'" { closed = true; break }
                    word.append(inner)
                }
                if !closed { throw fail("unterminated single quote") }
            case "\"":
                inWord = true
                var closed = false
                while let inner = next() {
                    if inner == "\"" { closed = true; break }
                    if inner == "\\" {
                        guard let escaped = next() else { break }
                        switch escaped {
                        case "\"", "\\", "$", "`": word.append(escaped)
                        case "\n": break
                        default: word.append("\\"); word.append(escaped)
                        }
                        continue
                    }
                    if inner == "$" || inner == "`" {
                        throw fail("'\(inner)' inside double quotes at character \(position): the command is not run by a shell, so nothing is expanded; use single quotes, or sh -c '...'")
                    }
                    word.append(inner)
                }
                if !closed { throw fail("unterminated double quote") }
            case "\\":
                guard let escaped = next() else { throw fail("trailing backslash") }
                if escaped == "\n" { continue }
                word.append(escaped)
                inWord = true
            case "|", "&", ";", "<", ">", "(", ")", "$", "`":
                throw fail("unquoted '\(character)' at character \(position): the command is not run by a shell; write sh -c '...' to use pipes, redirections or variables, or quote the character")
            case "~" where !inWord:
                throw fail("'~' at character \(position) is not expanded (no shell); write the full path, or sh -c '...'")
            default:
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        guard let program = words.first, !program.isEmpty else {
            throw fail("no program given; expected command:PROGRAM [ARGUMENTS...]")
        }
        return words
    }

    /// The file `program` names: itself when it contains a `/` (relative to the current
    /// directory), otherwise the first executable match in `searchPath` (`PATH`'s format).
    ///
    /// - Throws: `SearchError.badSetting(name: "evaluator", ...)` when there is none.
    static func resolveExecutable(_ program: String, searchPath: String?) throws(SearchError) -> String {
        let manager = FileManager.default
        func isExecutable(_ path: String) -> Bool {
            var isDirectory: ObjCBool = false
            return manager.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
                && access(path, X_OK) == 0
        }
        if program.contains("/") {
            let absolute = URL(fileURLWithPath: program).standardizedFileURL.path
            guard isExecutable(absolute) else {
                throw .badSetting(name: "evaluator", message: "command: '\(program)' is not an executable file")
            }
            return absolute
        }
        let directories = (searchPath ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":", omittingEmptySubsequences: false)
        for directory in directories {
            let candidate = (directory.isEmpty ? "." : String(directory)) + "/" + program
            if isExecutable(candidate) { return URL(fileURLWithPath: candidate).standardizedFileURL.path }
        }
        throw .badSetting(name: "evaluator", message: "command: '\(program)' was not found in PATH")
    }
}
