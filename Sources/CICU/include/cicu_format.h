// Numbers, dates, times and durations per locale and time zone. Plain C, no ICU types; every
// buffer function follows ICU's pre-flight contract. Locale IDs may carry ICU keywords:
// "ar" writes Arabic-Indic digits, "ar@numbers=latn" Latin ones. All functions are safe to
// call from any thread (formatters are cached per locale behind a lock).
#ifndef CICU_FORMAT_H
#define CICU_FORMAT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The canonical ID of an IANA time zone that ICU knows ("Asia/Ujung_Pandang" →
/// "Asia/Makassar"). An unknown ID — which ICU's formatters would quietly treat as GMT — fails
/// with U_ILLEGAL_ARGUMENT_ERROR.
int32_t cicu_time_zone_canonical(const char *_Nonnull zone, char *_Nullable dest, int32_t capacity,
                                 int32_t *_Nonnull status);

/// Formats an instant (milliseconds since 1970) in `locale` and the IANA time zone `zone`.
/// Styles: 0 none, 1 short, 2 medium, 3 long (ICU's UDAT styles). An unknown zone fails with
/// U_ILLEGAL_ARGUMENT_ERROR.
int32_t cicu_format_date(const char *_Nonnull locale, const char *_Nonnull zone, double millis, int32_t dateStyle,
                         int32_t timeStyle, uint16_t *_Nullable dest, int32_t capacity, int32_t *_Nonnull status);

/// Formats a number in `locale` (its digits, grouping and decimal separator).
int32_t cicu_format_number(const char *_Nonnull locale, double value, uint16_t *_Nullable dest, int32_t capacity,
                           int32_t *_Nonnull status);

/// A duration in words ("1 hour, 5 minutes", "١ ساعة و٥ دقائق"): whole hours and minutes in
/// full unit names (ICU unit formatting, so the locale's plural forms), joined by `locale`'s
/// list rules for units.
int32_t cicu_format_duration(const char *_Nonnull locale, int32_t minutes, uint16_t *_Nullable dest, int32_t capacity,
                             int32_t *_Nonnull status);

#ifdef __cplusplus
}
#endif

#endif
