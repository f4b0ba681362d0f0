import Foundation
import JembatanCore
import JembatanDriver
import JembatanText

/// The fuzzer's view of the broker: an applicant and an officer in a session, every input fed
/// as one text frame from one of them (the first byte chooses), every store command completed
/// at once. Reset every 2,000 inputs so memory stays bounded.
final class FuzzScene {
    var broker: Broker
    var store = InstantStore()
    var inputs = 0
    let applicant = ConnectionID(1)
    let officer = ConnectionID(2)
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    struct Tokens: TokenVerifying {
        func verify(_ token: String, now: Date) -> Identity? {
            switch token {
            case "a": Identity(id: ParticipantID("a-1"), role: .applicant, name: "ليلى", langs: ["ar", "en"])
            case "o": Identity(id: ParticipantID("o-1"), role: .officer, name: "Ahmad", langs: ["ar", "id"], capacity: 3)
            default: nil
            }
        }
    }

    static let localizer: Localizer = {
        let folder = ProcessInfo.processInfo.environment["JEMBATAN_LOCALES"] ?? "Locales"
        guard let catalog = try? TemplateCatalog(directory: URL(fileURLWithPath: folder)) else {
            fatalError("fuzz: no Locales folder (run from the package root or set JEMBATAN_LOCALES)")
        }
        return Localizer(catalog: catalog)
    }()

    init() {
        broker = Broker(localizer: Self.localizer, verifier: Tokens(), ids: SequentialIDSource())
        broker.connected(applicant)
        broker.connected(officer)
        feed(officer, #"{"type":"hello","token":"o"}"#)
        feed(officer, #"{"type":"status","availability":"available"}"#)
        feed(applicant, #"{"type":"hello","token":"a"}"#)
        feed(applicant, #"{"type":"request","service":"visa","language":"ar"}"#)
    }

    func feed(_ connection: ConnectionID, _ text: String) { feed(connection, Array(text.utf8)) }

    func feed(_ connection: ConnectionID, _ bytes: [UInt8]) {
        var actions = broker.received(bytes, from: connection, now: now.addingTimeInterval(Double(inputs)))
        var next = 0
        while next < actions.count {
            if case .store(let request, let command) = actions[next] {
                actions += broker.stored(request, result: store.perform(command), now: now)
            }
            next += 1
        }
    }

    nonisolated(unsafe) static var shared = FuzzScene()

    static func run(_ bytes: [UInt8]) {
        _ = FrameDecoder.decode(bytes)
        let scene = shared
        scene.inputs += 1
        scene.feed(bytes.first.map { $0 & 1 == 0 } == true ? scene.applicant : scene.officer, Array(bytes.dropFirst()))
        if scene.inputs >= 2000 { shared = FuzzScene() }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    FuzzScene.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

#if FUZZING
    // libFuzzer's driver, linked by -sanitize=fuzzer; SwiftPM wants the program's own main.
    @_silgen_name("LLVMFuzzerRunDriver")
    func LLVMFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    @main struct FuzzMain {
        static func main() {
            var argc = CommandLine.argc
            var argv = CommandLine.unsafeArgv  // libFuzzer may rewrite its arguments
            let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
                guard let data else { return 0 }
                return fuzzOneInput(data, size)
            }
            exit(status)
        }
    }
#else
    /// Without libFuzzer: replays files (a corpus, crash reproducers) through the same entry.
    @main struct FuzzReplay {
        static func main() throws {
            var count = 0
            for path in CommandLine.arguments.dropFirst() {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { continue }
                let files =
                    isFolder.boolValue
                    ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 } : [path]
                for file in files {
                    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
                    bytes.withUnsafeBufferPointer { _ = fuzzOneInput($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count) }
                    count += 1
                }
            }
            print("fuzz replay: \(count) inputs, no crash")
        }
    }
#endif
