import ArgumentParser
import Foundation
import JembatanServer
import JembatanStore

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the database to a file, while the broker runs.")

    @Argument(help: "The backup file to create (it must not exist).")
    var file: String

    @Option(help: "The broker's data folder.")
    var data = "./data"

    func run() throws {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = data
        guard FileManager.default.fileExists(atPath: configuration.databasePath) else {
            throw ValidationError("no database in \(data)")
        }
        let store = try SQLiteStore(path: configuration.databasePath)
        try store.backup(to: file)
        print("backed up to \(file)")
    }
}
