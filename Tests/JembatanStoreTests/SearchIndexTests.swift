import Foundation
import GRDB
import JembatanCore
import JembatanText
import Testing

@testable import JembatanStore

/// New messages are indexed for search at the end of their batch, in one statement: every
/// message stored in a batch is found, retries and refused messages are not indexed twice or at all.
@Suite struct SearchIndexTests {
    @Test(arguments: StoreKind.allCases) func aBatchIndexesEachNewTextMessageOnce(_ kind: StoreKind) throws {
        let store = try kind.make()
        store.openSample()
        let results = store.perform([
            .append(Fixture.text("paspor hilang di bandara", clientID: "m-1")),
            .append(Fixture.text("visa kunjungan habis", clientID: "m-2")),
            .append(Fixture.text("paspor hilang di bandara", clientID: "m-1")),  // a retry
            .append(Fixture.text("tidak tersimpan", in: "s-missing", clientID: "m-3")),  // refused
            .append(Fixture.text("护照 丢失", clientID: "m-4")),
        ])
        #expect(results.filter { if case .appended(_, duplicate: false) = $0 { true } else { false } }.count == 3)
        func found(_ query: String) -> [Int] {
            guard case .found(let messages) = store.one(.search(query: query, reader: nil, limit: 10)) else { return [] }
            return messages.map(\.seq).sorted()
        }
        #expect(found("paspor") == [2])
        #expect(found("visa") == [3])
        #expect(found("护照") == [4])
        #expect(found("tersimpan").isEmpty)
        // A later batch indexes its own messages too.
        _ = store.perform([.append(Fixture.text("paspor baru", clientID: "m-5"))])
        #expect(found("paspor") == [2, 5])
    }
}

/// ASCII text is indexed as typed, everything else as ICU's words: both must leave the index
/// with the same terms at the same positions.
@Suite struct ASCIIIndexingTests {
    @Test func asciiAsTypedIndexesTheTermsOfItsICUWords() throws {
        var generator = SystemRandomNumberGenerator()
        // Letters, digits and every joiner ICU's word rules know (' . , : ; _ -), with blanks.
        let alphabet = Array("aZk9 0'.,:;_-!?\"\t\n#@/()") + (0x20..<0x7F).map { Character(Unicode.Scalar(UInt8($0))) }
        var texts = [
            "Halo, saya mau tanya soal visa.", "can't", "e.g. 3.14 or 1,000", "foo_bar __x", "a.b.c", "x'y'z", "I'm OK!!",
            "ID-2024/07", "'quoted' \"words\"", "_lead trail_", "...", "3a4b", "V1.2.3-beta",
        ]
        for _ in 0..<400 {
            texts.append(String((0..<Int.random(in: 1...30, using: &generator)).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        let db = try DatabaseQueue()
        try db.write { db in
            for table in ["typed", "segmented"] {
                try db.execute(sql: "CREATE VIRTUAL TABLE \(table) USING fts5(words, tokenize = '\(SQLiteStore.searchTokenizer)')")
                try db.execute(sql: "CREATE VIRTUAL TABLE \(table)_terms USING fts5vocab(\(table), 'instance')")
            }
            for (rowid, text) in texts.enumerated() {
                #expect(SQLiteStore.indexedWords(text) == text)
                try db.execute(sql: "INSERT INTO typed (rowid, words) VALUES (?, ?)", arguments: [rowid, text])
                try db.execute(
                    sql: "INSERT INTO segmented (rowid, words) VALUES (?, ?)", arguments: [rowid, WordSegmenter.joinedWords(in: text)])
            }
            func terms(_ table: String) throws -> [[String]] {
                try Row.fetchAll(db, sql: "SELECT term, doc, offset FROM \(table)_terms ORDER BY doc, offset").map { row in
                    [row[0] as String, String(row[1] as Int), String(row[2] as Int)]
                }
            }
            let typed = try terms("typed")
            #expect(!typed.isEmpty)
            #expect(typed == (try terms("segmented")))
        }
    }

    @Test func otherTextIsIndexedAsICUWords() {
        for text in ["我想咨询居留许可", "café crème", "مرحبا بكم", "Größe"] {
            #expect(SQLiteStore.indexedWords(text) == WordSegmenter.joinedWords(in: text))
        }
    }
}
