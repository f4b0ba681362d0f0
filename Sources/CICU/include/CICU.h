// CICU: the only door from Swift to the system ICU (DESIGN.md, "ICU bridging").
//
// This header must stay ICU-free: Foundation on Linux carries its own private ICU as a Clang
// module, and a Swift module that sees both fails to compile. So only plain C types cross
// here (UTF-16 as uint16_t, locale IDs as char, opaque handles), every symbol is prefixed
// `cicu_`, and the ICU includes live in the .c/.cpp files.
//
// This header: status names, text (NFC, graphemes, direction), locales and MessageFormat.
// cicu_format.h: numbers, dates, durations, time zones. cicu_names.h: transliteration, spoof
// checks, collation. cicu_words.h: word segmentation.
//
// Conventions, all borrowed from ICU so the Swift side handles them in one place:
// - `status` is in/out, an ICU UErrorCode value: 0 success, negative a warning, positive a
//   failure. Pass it in as 0.
// - Functions that fill a buffer return the full length needed. If that is more than
//   `capacity`, `*status` becomes CICU_BUFFER_OVERFLOW_ERROR and the caller retries with
//   that size ("pre-flighting"); `dest` may be NULL when `capacity` is 0.
// - Lengths are in code units (UTF-16 units or bytes) and inputs need no terminator.

#ifndef CICU_H
#define CICU_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

// The UErrorCode values the Swift side names (utypes.h).
#define CICU_ZERO_ERROR 0
#define CICU_ILLEGAL_ARGUMENT_ERROR 1
#define CICU_MEMORY_ALLOCATION_ERROR 7
#define CICU_BUFFER_OVERFLOW_ERROR 15

/// ICU's name for a status value ("U_PATTERN_SYNTAX_ERROR"); static storage, never NULL.
const char *_Nonnull cicu_error_name(int32_t status);

// MARK: - Text

/// `text` (UTF-8, `length` bytes) as UTF-16 in `dest` (u_strFromUTF8); returns the units
/// written. A valid UTF-8 text never needs more units than it has bytes.
int32_t cicu_utf16_from_utf8(
    const char *_Nullable text, int32_t length, uint16_t *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// 1 if `text` is already in NFC (so the caller can skip the copy), else 0.
int32_t cicu_nfc_is_normalized(const uint16_t *_Nullable text, int32_t length, int32_t *_Nonnull status);

/// Writes the NFC form of `text` to `dest` (unorm2); pre-flights like every buffer function.
int32_t cicu_nfc_normalize(
    const uint16_t *_Nullable text, int32_t length, uint16_t *_Nullable dest, int32_t capacity,
    int32_t *_Nonnull status);

/// The number of extended grapheme clusters in `text` (ICU character break iterator).
int32_t cicu_grapheme_count(const uint16_t *_Nullable text, int32_t length, int32_t *_Nonnull status);

/// The UTF-16 length of the first `maxClusters` grapheme clusters of `text` (all of it when it
/// has no more): where to cut a text so that no cluster is split.
int32_t cicu_grapheme_prefix_length(
    const uint16_t *_Nullable text, int32_t length, int32_t maxClusters, int32_t *_Nonnull status);

#define CICU_DIRECTION_LTR 0
#define CICU_DIRECTION_RTL 1
#define CICU_DIRECTION_NEUTRAL 2

/// The paragraph direction implied by the first strong character (ubidi_getBaseDirection):
/// one of the CICU_DIRECTION_ values.
int32_t cicu_base_direction(const uint16_t *_Nullable text, int32_t length);

// MARK: - Locales (ICU locale IDs, such as "zh_Hans_CN", in and out)

/// Parses a BCP 47 tag (underscores accepted) and returns the canonical ICU base name,
/// with CLDR alias replacement ("in" → "id", "iw" → "he") and without keywords.
/// An unparsable or empty tag fails with U_ILLEGAL_ARGUMENT_ERROR.
int32_t cicu_locale_canonical(
    const char *_Nonnull tag, char *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// Adds likely subtags ("zh_TW" → "zh_Hant_TW", "_Arab" → "ar_Arab_EG").
int32_t cicu_locale_maximize(
    const char *_Nonnull localeID, char *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// Truncation parent ("zh_Hant_TW" → "zh_Hant" → "zh" → ""); the empty string is the root.
int32_t cicu_locale_parent(
    const char *_Nonnull localeID, char *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// 1 when the locale's script is written right to left (uloc_isRightToLeft: "ar" → 1).
int32_t cicu_locale_is_rtl(const char *_Nonnull localeID);

// MARK: - MessageFormat with named arguments

/// A compiled icu::MessageFormat plus what a lint needs to know about its pattern.
/// Not thread-safe, not even for formatting (ICU creates number formatters lazily inside
/// format()): one thread at a time per handle.
typedef struct cicu_message cicu_message;

/// Compiles `pattern` for `localeID`. On failure returns NULL, sets `*status` and, for syntax
/// errors, `*errorOffset` (UTF-16 offset into the pattern; -1 when unknown).
///
/// `zone` is the IANA time zone that `{x, date, …}` and `{x, time, …}` arguments are shown in
/// (NULL: ICU's default zone, which is the process's); an unknown zone fails with
/// U_ILLEGAL_ARGUMENT_ERROR rather than quietly showing GMT.
cicu_message *_Nullable cicu_message_open(
    const char *_Nonnull localeID, const char *_Nullable zone, const uint16_t *_Nullable pattern, int32_t length,
    int32_t *_Nonnull errorOffset, int32_t *_Nonnull status);

void cicu_message_close(cicu_message *_Nullable message);

/// Every argument name the pattern uses, nested ones included, sorted and without repeats.
int32_t cicu_message_argument_count(const cicu_message *_Nonnull message);
int32_t cicu_message_argument_name(
    const cicu_message *_Nonnull message, int32_t index, char *_Nullable dest, int32_t capacity,
    int32_t *_Nonnull status);

/// The plural and selectordinal arguments in the pattern, in order of appearance.
int32_t cicu_message_plural_count(const cicu_message *_Nonnull message);
int32_t cicu_message_plural_name(
    const cicu_message *_Nonnull message, int32_t index, char *_Nullable dest, int32_t capacity,
    int32_t *_Nonnull status);

/// Categories of the locale that plural argument `index` does not cover, space separated
/// (empty when covered). An explicit "=N" covers a category whose every value it matches,
/// such as "=1" for English "one".
int32_t cicu_message_plural_missing(
    const cicu_message *_Nonnull message, int32_t index, char *_Nullable dest, int32_t capacity,
    int32_t *_Nonnull status);

/// Keywords of plural argument `index` that are not categories of the locale ("one" in an
/// Indonesian pattern): dead branches, usually a copied translation.
int32_t cicu_message_plural_unused(
    const cicu_message *_Nonnull message, int32_t index, char *_Nullable dest, int32_t capacity,
    int32_t *_Nonnull status);

/// Named argument values for one cicu_message_format call.
typedef struct cicu_arguments cicu_arguments;

/// NULL only when out of memory.
cicu_arguments *_Nullable cicu_arguments_open(void);
void cicu_arguments_close(cicu_arguments *_Nullable arguments);
/// `name` is NUL-terminated UTF-8; `value` is UTF-16 of `length` units.
void cicu_arguments_add_string(
    cicu_arguments *_Nonnull arguments, const char *_Nonnull name, const uint16_t *_Nullable value,
    int32_t length);
void cicu_arguments_add_number(cicu_arguments *_Nonnull arguments, const char *_Nonnull name, double value);
/// An instant, in milliseconds since 1970-01-01T00:00:00Z, for date and time arguments.
void cicu_arguments_add_date(cicu_arguments *_Nonnull arguments, const char *_Nonnull name, double millis);

/// Formats `message` with `arguments` into `dest` (UTF-16). A string given where the pattern
/// needs a number or a date fails with U_ILLEGAL_ARGUMENT_ERROR; a number given for a date is
/// taken as milliseconds since 1970, as ICU does. A missing argument is not an error in
/// ICU (it prints "{name}"), so callers check names against cicu_message_argument_name first.
int32_t cicu_message_format(
    cicu_message *_Nonnull message, const cicu_arguments *_Nonnull arguments, uint16_t *_Nullable dest,
    int32_t capacity, int32_t *_Nonnull status);

#ifdef __cplusplus
}
#endif

#endif  // CICU_H
