// Names across scripts and per-locale dates for the CICU facade. Transliterators and
// collators are costly to open and not safe to share unlocked, so each is opened once and
// used under a mutex; a configured spoof checker is safe to share for checks.

#include "cicu_names.h"

#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include <unicode/ucol.h>
#include <unicode/ulistformatter.h>
#include <unicode/unumberformatter.h>
#include <unicode/udat.h>
#include <unicode/unum.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/unistr.h>

namespace {

std::mutex transliteratorLock;
UTransliterator *transliterator = nullptr;

std::once_flag spoofOnce;
USpoofChecker *spoofChecker = nullptr;
UErrorCode spoofStatus = U_ZERO_ERROR;

std::mutex collatorLock;
std::map<std::string, UCollator *> collators;

void openSpoofChecker() {
    spoofChecker = uspoof_open(&spoofStatus);
    uspoof_setChecks(spoofChecker, USPOOF_MIXED_SCRIPT_CONFUSABLE | USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE,
                     &spoofStatus);
    uspoof_setRestrictionLevel(spoofChecker, USPOOF_MODERATELY_RESTRICTIVE);
}

}  // namespace

int32_t cicu_transliterate_latin(const uint16_t *text, int32_t length, uint16_t *dest, int32_t capacity,
                                 int32_t *status) {
    if (U_FAILURE((UErrorCode)*status)) return 0;
    UErrorCode code = U_ZERO_ERROR;
    std::lock_guard<std::mutex> guard(transliteratorLock);
    if (transliterator == nullptr) {
        static const UChar id[] = u"Any-Latin; Latin-ASCII";
        transliterator = utrans_openU(id, -1, UTRANS_FORWARD, nullptr, 0, nullptr, &code);
        if (U_FAILURE(code)) {
            transliterator = nullptr;
            *status = code;
            return 0;
        }
    }
    // utrans works in place: copy into a buffer with room to grow, then copy out.
    int32_t room = length * 4 + 16;
    std::unique_ptr<UChar[]> work(new (std::nothrow) UChar[room]);
    if (!work) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
    u_memcpy(work.get(), (const UChar *)text, length);
    int32_t textLength = length, limit = length;
    utrans_transUChars(transliterator, work.get(), &textLength, room, 0, &limit, &code);
    if (U_FAILURE(code)) {
        *status = code;
        return 0;
    }
    if (textLength > capacity) {
        *status = U_BUFFER_OVERFLOW_ERROR;
        return textLength;
    }
    u_memcpy((UChar *)dest, work.get(), textLength);
    return textLength;
}

int32_t cicu_spoof_suspicious(const uint16_t *text, int32_t length, int32_t *status) {
    std::call_once(spoofOnce, openSpoofChecker);
    if (U_FAILURE(spoofStatus)) {
        *status = spoofStatus;
        return 0;
    }
    UErrorCode code = U_ZERO_ERROR;
    int32_t result = uspoof_check2(spoofChecker, (const UChar *)text, length, nullptr, &code);
    *status = code;
    return U_SUCCESS(code) && result != 0 ? 1 : 0;
}

int32_t cicu_spoof_confusable(const uint16_t *a, int32_t aLength, const uint16_t *b, int32_t bLength,
                              int32_t *status) {
    std::call_once(spoofOnce, openSpoofChecker);
    if (U_FAILURE(spoofStatus)) {
        *status = spoofStatus;
        return 0;
    }
    UErrorCode code = U_ZERO_ERROR;
    int32_t result = uspoof_areConfusable(spoofChecker, (const UChar *)a, aLength, (const UChar *)b, bLength, &code);
    *status = code;
    return U_SUCCESS(code) && result != 0 ? 1 : 0;
}

int32_t cicu_collate(const char *locale, const uint16_t *a, int32_t aLength, const uint16_t *b, int32_t bLength,
                     int32_t *status) {
    try {
        std::lock_guard<std::mutex> guard(collatorLock);
        UCollator *&collator = collators[locale];
        if (collator == nullptr) {
            UErrorCode code = U_ZERO_ERROR;
            collator = ucol_open(locale, &code);
            if (U_FAILURE(code)) {
                collator = nullptr;
                *status = code;
                return 0;
            }
        }
        return (int32_t)ucol_strcoll(collator, (const UChar *)a, aLength, (const UChar *)b, bLength);
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

int32_t cicu_format_date(const char *locale, const char *zone, double millis, int32_t dateStyle, int32_t timeStyle,
                         uint16_t *dest, int32_t capacity, int32_t *status) {
    static const UDateFormatStyle styles[] = {UDAT_NONE, UDAT_SHORT, UDAT_MEDIUM, UDAT_LONG};
    if (dateStyle < 0 || dateStyle > 3 || timeStyle < 0 || timeStyle > 3) {
        *status = U_ILLEGAL_ARGUMENT_ERROR;
        return 0;
    }
    UChar zoneID[64];
    u_uastrncpy(zoneID, zone, 63);
    zoneID[63] = 0;
    UErrorCode code = U_ZERO_ERROR;
    UDateFormat *format = udat_open(styles[timeStyle], styles[dateStyle], locale, zoneID, -1, nullptr, 0, &code);
    int32_t written = U_SUCCESS(code) ? udat_format(format, millis, (UChar *)dest, capacity, nullptr, &code) : 0;
    if (format) udat_close(format);
    *status = code;
    return written;
}

int32_t cicu_format_number(const char *locale, double value, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    UNumberFormat *format = unum_open(UNUM_DECIMAL, nullptr, 0, locale, nullptr, &code);
    int32_t written = U_SUCCESS(code) ? unum_formatDouble(format, value, (UChar *)dest, capacity, nullptr, &code) : 0;
    if (format) unum_close(format);
    *status = code;
    return written;
}

namespace {
// One unit amount ("5 minutes") in full words, through ICU's number formatter with a unit skeleton.
icu::UnicodeString formatUnit(const char *locale, const UChar *skeleton, int32_t amount, UErrorCode *code) {
    icu::UnicodeString text;
    UNumberFormatter *formatter = unumf_openForSkeletonAndLocale(skeleton, -1, locale, code);
    UFormattedNumber *result = unumf_openResult(code);
    if (U_SUCCESS(*code)) unumf_formatInt(formatter, amount, result, code);
    UChar buffer[128];
    int32_t length = U_SUCCESS(*code) ? unumf_resultToString(result, buffer, 128, code) : 0;
    if (U_SUCCESS(*code)) text.setTo(buffer, length);
    if (result) unumf_closeResult(result);
    if (formatter) unumf_close(formatter);
    return text;
}
}  // namespace

int32_t cicu_format_duration(const char *locale, int32_t minutes, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = U_ZERO_ERROR;
    int32_t hours = minutes / 60, rest = minutes % 60;
    icu::UnicodeString parts[2];
    int32_t count = 0;
    if (hours > 0) parts[count++] = formatUnit(locale, u"measure-unit/duration-hour unit-width-full-name", hours, &code);
    if (rest > 0 || hours == 0)
        parts[count++] = formatUnit(locale, u"measure-unit/duration-minute unit-width-full-name", rest, &code);
    if (U_FAILURE(code)) {
        *status = code;
        return 0;
    }
    const UChar *items[2] = {parts[0].getBuffer(), parts[1].getBuffer()};
    int32_t lengths[2] = {parts[0].length(), parts[1].length()};
    UListFormatter *list = ulistfmt_openForType(locale, ULISTFMT_TYPE_UNITS, ULISTFMT_WIDTH_WIDE, &code);
    int32_t written = U_SUCCESS(code) ? ulistfmt_format(list, items, lengths, count, (UChar *)dest, capacity, &code) : 0;
    if (list) ulistfmt_close(list);
    *status = code;
    return written;
}
