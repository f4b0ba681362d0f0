// Names across scripts and per-locale dates: transliteration, spoof checks, collation,
// date formatting. Plain C, no ICU types; every buffer function follows ICU's pre-flight
// contract (returns the length needed, sets a buffer overflow status when it does not fit).
#ifndef CICU_NAMES_H
#define CICU_NAMES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// `text` in Latin ASCII (ICU "Any-Latin; Latin-ASCII"): "王伟" → "wang wei".
int32_t cicu_transliterate_latin(const uint16_t *_Nullable text, int32_t length, uint16_t *_Nullable dest,
                                 int32_t capacity, int32_t *_Nonnull status);

/// 1 when ICU's spoof checker flags `text` as a mixed-script confusable or as mixing scripts
/// beyond the moderately restrictive level (a Cyrillic letter inside a Latin name); 0 otherwise.
int32_t cicu_spoof_suspicious(const uint16_t *_Nullable text, int32_t length, int32_t *_Nonnull status);

/// 1 when two strings can be mistaken for each other ("Siti" and "Sіti" with a Cyrillic і).
int32_t cicu_spoof_confusable(const uint16_t *_Nullable a, int32_t aLength, const uint16_t *_Nullable b,
                              int32_t bLength, int32_t *_Nonnull status);

/// Compares two strings with `locale`'s collation: -1, 0 or 1.
int32_t cicu_collate(const char *_Nonnull locale, const uint16_t *_Nullable a, int32_t aLength,
                     const uint16_t *_Nullable b, int32_t bLength, int32_t *_Nonnull status);

/// Formats an instant (milliseconds since 1970) in `locale` and the IANA time zone `zone`.
/// Styles: 0 none, 1 short, 2 medium, 3 long (ICU's UDAT styles).
int32_t cicu_format_date(const char *_Nonnull locale, const char *_Nonnull zone, double millis, int32_t dateStyle,
                         int32_t timeStyle, uint16_t *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// Formats a number in `locale` (its digits: "ar" gives Arabic-Indic, "ar@numbers=latn" Latin).
int32_t cicu_format_number(const char *_Nonnull locale, double value, uint16_t *_Nullable dest, int32_t capacity,
                           int32_t *_Nonnull status);

/// A duration in words ("1 hour, 5 minutes", "١ ساعة و٥ دقائق"): whole hours and minutes in
/// full unit names, joined by `locale`'s list rules.
int32_t cicu_format_duration(const char *_Nonnull locale, int32_t minutes, uint16_t *_Nullable dest, int32_t capacity,
                             int32_t *_Nonnull status);

#ifdef __cplusplus
}
#endif

#endif
