@testable import NASCommands
import NASSearch
import NASTestSupport
import Testing

/// Command lines parsed in process, as the executable parses them: options reach the command's
/// fields, and bad values are refused with a message naming the option and the value.
@Suite struct InProcessParsingTests {
    @Test func searchOptionsReachTheCommand() throws {
        let command = try InProcessCommand.parse([
            "search", "runs/b.db", "--space", "examples/burger.yaml", "--strategy", "evolution", "--population", "8", "--jobs", "3",
        ])
        let search = try #require(command as? SearchCommand)
        #expect(search.database == "runs/b.db")
        #expect(search.space == "examples/burger.yaml")
        #expect(search.strategy == .evolution)
        #expect(search.population == 8)
        #expect(search.jobs == 3)
        #expect(search.budget == nil)
    }

    @Test func unknownStrategyIsRefusedNamingTheValueAndTheChoices() throws {
        let message = try #require(InProcessCommand.usageError(["search", "b.db", "--strategy", "annealing"]))
        #expect(message.contains("annealing"))
        #expect(message.contains("evolution"))
    }

    @Test func everyDatabaseCommandNamesItsMissingDatabaseArgument() throws {
        for name in ["init", "search", "status", "best", "query", "pareto", "export"] {
            let message = try #require(InProcessCommand.usageError([name]), "\(name) parsed without a database")
            #expect(message.contains("<database>"), "\(name): \(message)")
        }
    }
}
