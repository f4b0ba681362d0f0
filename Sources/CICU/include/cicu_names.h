// Names across scripts: transliteration, spoof checks, collation. Plain C, no ICU types;
// every buffer function follows ICU's pre-flight contract (returns the length needed, sets a
// buffer overflow status when it does not fit). All functions are safe to call from any thread.
#ifndef CICU_NAMES_H
#define CICU_NAMES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `text` in Latin ASCII: NFKC, then ICU "Any-Latin; Latin-ASCII", then the Arabic/Hebrew
/// ʿayn and hamza signs (U+02BF, U+02BE) as an apostrophe and anything still not ASCII removed.
/// "王伟" → "wang wei", "عبد الله" → "'bd allh". Spacing is ICU's (it may leave a trailing space).
int32_t cicu_transliterate_latin(const uint16_t *_Nullable text, int32_t length, uint16_t *_Nullable dest,
                                 int32_t capacity, int32_t *_Nonnull status);

/// 1 when ICU's spoof checker (uspoof_check2) flags `text`: a mixed-script confusable, scripts
/// mixed beyond the moderately restrictive level (a Cyrillic letter inside a Latin name), or
/// invisible characters stacked; 0 otherwise.
int32_t cicu_spoof_suspicious(const uint16_t *_Nullable text, int32_t length, int32_t *_Nonnull status);

/// 1 when two strings can be mistaken for each other (uspoof_areConfusable with single-script,
/// mixed-script and whole-script confusables, after case folding): "Siti" and "Sіti" with a
/// Cyrillic і, "Rahman" and "Rahrnan", "SITI" and "siti", and any string and itself.
int32_t cicu_spoof_confusable(const uint16_t *_Nullable a, int32_t aLength, const uint16_t *_Nullable b,
                              int32_t bLength, int32_t *_Nonnull status);

/// Compares two strings with `locale`'s collation (ICU locale ID): -1, 0 or 1.
int32_t cicu_collate(const char *_Nonnull locale, const uint16_t *_Nullable a, int32_t aLength,
                     const uint16_t *_Nullable b, int32_t bLength, int32_t *_Nonnull status);

/// The collation sort key of `text` in `locale` (bytes, NUL-terminated, the NUL counted):
/// comparing two keys bytewise gives cicu_collate's order, so a list is sorted with one key per
/// name instead of a collation per comparison.
int32_t cicu_collation_key(const char *_Nonnull locale, const uint16_t *_Nullable text, int32_t length,
                           uint8_t *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

#ifdef __cplusplus
}
#endif

#endif
