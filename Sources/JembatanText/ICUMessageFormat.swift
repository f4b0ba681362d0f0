internal import CICU
import Foundation

/// One compiled ICU MessageFormat pattern (through the CICU facade) and what ICU found in it.
///
/// Not Sendable and not thread-safe: ICU mutates the formatter inside `format` (it creates
/// number formats lazily). `MessageFormatCache` keeps instances behind its lock.
final class ICUMessageFormat {
    /// A pattern ICU refused, with its error and the UTF-16 offset of the fault (if known).
    struct CompileError: Error {
        var error: ICUError
        var offset: Int?
    }

    /// A plural (or selectordinal) argument and how it fits the locale's CLDR categories.
    struct PluralArgument: Equatable {
        var name: String
        /// Categories the locale has that no branch covers.
        var missing: [String]
        /// Branch keywords that are not categories of the locale.
        var unused: [String]
    }

    private let handle: OpaquePointer
    /// Every argument name the pattern uses, nested ones included, sorted.
    let argumentNames: [String]
    let plurals: [PluralArgument]

    /// Compiles `pattern` for an ICU locale ID ("ar", "zh_Hans"); date and time arguments are
    /// shown in the IANA time zone `timeZone` (an unknown zone is a compile error).
    init(pattern: String, localeID: String, timeZone: String) throws(CompileError) {
        var status = CICU_ZERO_ERROR
        var offset: Int32 = -1
        let handle = ICUCall.withUTF16(pattern) { units, length in
            cicu_message_open(localeID, timeZone, units, length, &offset, &status)
        }
        guard let handle else {
            // No handle without a failure would be a facade bug; call it what C++ would.
            let error = ICUError(code: status > CICU_ZERO_ERROR ? status : CICU_MEMORY_ALLOCATION_ERROR)
            throw CompileError(error: error, offset: offset >= 0 ? Int(offset) : nil)
        }
        self.handle = handle
        do {
            argumentNames = try (0..<cicu_message_argument_count(handle)).map { index throws(ICUError) in
                try ICUCall.cString { dest, capacity, status in cicu_message_argument_name(handle, index, dest, capacity, &status) }
            }
            plurals = try (0..<cicu_message_plural_count(handle)).map { index throws(ICUError) in
                let name = try ICUCall.cString { cicu_message_plural_name(handle, index, $0, $1, &$2) }
                let missing = try ICUCall.cString { cicu_message_plural_missing(handle, index, $0, $1, &$2) }
                let unused = try ICUCall.cString { cicu_message_plural_unused(handle, index, $0, $1, &$2) }
                return PluralArgument(
                    name: name, missing: missing.split(separator: " ").map(String.init),
                    unused: unused.split(separator: " ").map(String.init))
            }
        } catch {
            cicu_message_close(handle)
            throw CompileError(error: error, offset: nil)
        }
    }

    deinit { cicu_message_close(handle) }

    /// The formatted text. Fails when an argument the pattern uses is missing (ICU would print
    /// "{name}" — template internals a user must not see) or has the wrong kind (a string
    /// where a plural needs a number or a date argument an instant).
    func format(_ arguments: [String: TemplateArgument]) throws(ICUError) -> String {
        guard argumentNames.allSatisfy({ arguments[$0] != nil }) else { throw ICUError(code: CICU_ILLEGAL_ARGUMENT_ERROR) }
        guard let values = cicu_arguments_open() else { throw ICUError(code: CICU_MEMORY_ALLOCATION_ERROR) }
        defer { cicu_arguments_close(values) }
        var expectedLength = 64
        for (name, argument) in arguments {
            switch argument {
            case .number(let number):
                cicu_arguments_add_number(values, name, number)
            case .string(let text):
                expectedLength += text.utf16.count
                ICUCall.withUTF16(text) { units, length in cicu_arguments_add_string(values, name, units, length) }
            case .date(let date):
                expectedLength += 32
                cicu_arguments_add_date(values, name, (date.timeIntervalSince1970 * 1000).rounded())
            }
        }
        return try ICUCall.string(hint: expectedLength * 2) { dest, capacity, status in
            cicu_message_format(handle, values, dest, capacity, &status)
        }
    }
}
