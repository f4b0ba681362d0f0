// Numbers, dates, times and durations for the CICU facade. Opening an ICU formatter costs far
// more than using it (an export formats a timestamp per message), so formatters are cached per
// locale (and zone and style) and used under the cache's lock.

#include "cicu_format.h"
#include "cicu_internal.hpp"

#include <cstring>
#include <new>
#include <string>

#include <unicode/ucal.h>
#include <unicode/udat.h>
#include <unicode/ulistformatter.h>
#include <unicode/unum.h>
#include <unicode/unumberformatter.h>
#include <unicode/ustring.h>

namespace {

/// Time zone IDs are short ASCII ("America/Argentina/ComodRivadavia" is among the longest).
constexpr int32_t zoneCapacity = 64;

/// `zone` as a NUL-terminated UTF-16 ID in `id`, checked against ICU's time zone data (its
/// formatters treat an unknown ID as GMT without a word); its canonical form goes to
/// `canonical`, whose length is returned.
int32_t knownZone(const char *zone, UChar (&id)[zoneCapacity], UChar (&canonical)[zoneCapacity], UErrorCode &code) {
    if (U_FAILURE(code)) return 0;
    size_t length = strnlen(zone, zoneCapacity);
    if (length == 0 || length >= (size_t)zoneCapacity) {
        code = U_ILLEGAL_ARGUMENT_ERROR;
        return 0;
    }
    u_uastrncpy(id, zone, zoneCapacity);
    UBool isSystemID = false;
    return ucal_getCanonicalTimeZoneID(id, -1, canonical, zoneCapacity, &isSystemID, &code);
}

cicu::Cache<UDateFormat, udat_close> &dateFormats() {
    static auto *cache = new cicu::Cache<UDateFormat, udat_close>(64);
    return *cache;
}

cicu::Cache<UNumberFormat, unum_close> &numberFormats() {
    static auto *cache = new cicu::Cache<UNumberFormat, unum_close>(32);
    return *cache;
}

cicu::Cache<UNumberFormatter, unumf_close> &unitFormats() {
    static auto *cache = new cicu::Cache<UNumberFormatter, unumf_close>(64);
    return *cache;
}

cicu::Cache<UListFormatter, ulistfmt_close> &listFormats() {
    static auto *cache = new cicu::Cache<UListFormatter, ulistfmt_close>(32);
    return *cache;
}

/// One amount of a unit in full words ("5 minutes", "٥ دقائق") into `dest`.
int32_t formatUnit(const char *locale, const char *unit, int32_t amount, UChar *dest, int32_t capacity,
                   UErrorCode &code) {
    std::string skeleton = std::string("measure-unit/duration-") + unit + " unit-width-full-name";
    return unitFormats().with(
        std::string(locale) + '|' + unit,
        [&](UErrorCode &error) {
            UChar buffer[96];
            u_uastrncpy(buffer, skeleton.c_str(), 96);
            return unumf_openForSkeletonAndLocale(buffer, -1, locale, &error);
        },
        [&](UNumberFormatter *formatter) {
            UFormattedNumber *result = unumf_openResult(&code);
            if (U_SUCCESS(code)) unumf_formatInt(formatter, amount, result, &code);
            int32_t length = U_SUCCESS(code) ? unumf_resultToString(result, dest, capacity, &code) : 0;
            unumf_closeResult(result);
            return length;
        },
        code);
}

}  // namespace

int32_t cicu_time_zone_canonical(const char *zone, char *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    UChar id[zoneCapacity], canonical[zoneCapacity];
    int32_t length = knownZone(zone, id, canonical, code);
    *status = code;
    if (U_FAILURE(code)) return 0;
    if (dest != nullptr && capacity > 0) u_austrncpy(dest, canonical, capacity < length ? capacity : length);
    if (length > capacity) {
        *status = U_BUFFER_OVERFLOW_ERROR;
    } else if (length == capacity) {
        *status = U_STRING_NOT_TERMINATED_WARNING;
    } else {
        dest[length] = '\0';
    }
    return length;
}

int32_t cicu_format_date(const char *locale, const char *zone, double millis, int32_t dateStyle, int32_t timeStyle,
                         uint16_t *dest, int32_t capacity, int32_t *status) {
    static const UDateFormatStyle styles[] = {UDAT_NONE, UDAT_SHORT, UDAT_MEDIUM, UDAT_LONG};
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    if (dateStyle < 0 || dateStyle > 3 || timeStyle < 0 || timeStyle > 3) {
        *status = U_ILLEGAL_ARGUMENT_ERROR;
        return 0;
    }
    try {
        std::string key = std::string(locale) + '|' + zone + '|' + char('0' + dateStyle) + char('0' + timeStyle);
        int32_t written = dateFormats().with(
            key,
            [&](UErrorCode &error) -> UDateFormat * {
                UChar id[zoneCapacity], canonical[zoneCapacity];
                knownZone(zone, id, canonical, error);
                if (U_FAILURE(error)) return nullptr;
                return udat_open(styles[timeStyle], styles[dateStyle], locale, id, -1, nullptr, 0, &error);
            },
            [&](UDateFormat *format) { return udat_format(format, millis, (UChar *)dest, capacity, nullptr, &code); },
            code);
        *status = code;
        return written;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

int32_t cicu_format_number(const char *locale, double value, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        int32_t written = numberFormats().with(
            locale, [&](UErrorCode &error) { return unum_open(UNUM_DECIMAL, nullptr, 0, locale, nullptr, &error); },
            [&](UNumberFormat *format) {
                return unum_formatDouble(format, value, (UChar *)dest, capacity, nullptr, &code);
            },
            code);
        *status = code;
        return written;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

int32_t cicu_format_duration(const char *locale, int32_t minutes, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    if (minutes < 0) {
        *status = U_ILLEGAL_ARGUMENT_ERROR;
        return 0;
    }
    try {
        int32_t hours = minutes / 60, rest = minutes % 60;
        UChar parts[2][64];
        int32_t lengths[2] = {0, 0};
        int32_t count = 0;
        if (hours > 0) {
            lengths[count] = formatUnit(locale, "hour", hours, parts[count], 64, code);
            count += 1;
        }
        if (rest > 0 || hours == 0) {
            lengths[count] = formatUnit(locale, "minute", rest, parts[count], 64, code);
            count += 1;
        }
        if (U_FAILURE(code)) {  // including a unit phrase over 64 units: a surprise, not cut short
            *status = code;
            return 0;
        }
        const UChar *items[2] = {parts[0], parts[1]};
        int32_t written = listFormats().with(
            locale,
            [&](UErrorCode &error) {
                return ulistfmt_openForType(locale, ULISTFMT_TYPE_UNITS, ULISTFMT_WIDTH_WIDE, &error);
            },
            [&](UListFormatter *list) {
                return ulistfmt_format(list, items, lengths, count, (UChar *)dest, capacity, &code);
            },
            code);
        *status = code;
        return written;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}
