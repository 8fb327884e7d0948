import ArgumentParser
import Foundation
import NASQuery

/// `layernas query DB SQL`: read-only SQL over a search database.
struct QueryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run one read-only SQL statement and print its rows.",
        discussion: """
            The database is opened read-only with PRAGMA query_only, and an SQLite authorizer refuses \
            writes (INSERT, UPDATE, DELETE, CREATE, DROP, ALTER, temporary tables), ATTACH, VACUUM, \
            transaction control, PRAGMAs that change settings and load_extension(); a refused statement \
            exits with status 2 and the file is untouched. It works while a search writes to the same \
            file. Rows stream: output of any size uses little memory. Tables and views are listed in the \
            README (candidate_details, candidate_options, bucket_best, pareto_front, search_progress).

            Example:
              layernas query runs/burger.db "SELECT arch, score FROM candidates LIMIT 5"
              layernas query runs/burger.db "SELECT * FROM search_progress" --format json
              layernas query runs/burger.db - --format csv < front.sql
            """
    )

    @Argument(help: "Path of the search database.")
    var database: String

    @Argument(help: ArgumentHelp("One SQL statement, or - to read it from standard input.", valueName: "sql"))
    var sql: String

    @OptionGroup var destination: FileOutputOptions<QueryOutputFormat>

    func run() async throws {
        let text: String
        if sql == "-" {
            let data = FileHandle.standardInput.readDataToEndOfFile()
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = sql
        }
        let chosen = try destination.chosenFormat()
        try QueryCommandSupport.run {
            let database = try QueryDatabase(path: self.database)
            let sink = try destination.sink(reading: self.database)
            try database.withUserQuery(sql: text) { rows in
                try chosen.resultFormat.write(rows, to: sink)
            }
            try sink.commit()
        }
    }
}
