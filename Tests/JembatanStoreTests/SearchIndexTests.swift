import Foundation
import JembatanCore
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
