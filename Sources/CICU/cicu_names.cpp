// Names across scripts for the CICU facade: transliteration, spoof checks, collation.
// The transliterator and the collators are costly to open and not safe to share unlocked, so
// each is opened once and used under a lock; a configured spoof checker is safe to share for
// checks (uspoof.h, "Thread Safety").

#include "cicu_names.h"
#include "cicu_internal.hpp"

#include <memory>
#include <mutex>
#include <new>
#include <string>

#include <unicode/translit.h>
#include <unicode/ucol.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>

namespace {

// NFKC first so that compatibility letters (fullwidth "ｓｉｔｉ", "𝓢𝓲𝓽𝓲") are transliterated
// rather than dropped; then ICU's own chain; then ASCII for what Latin-ASCII leaves alone (the
// ʿayn of "ʿbd allh") or Any-Latin cannot read (emoji, symbols).
const char16_t latinRules[] =
    u"::NFKC; ::Any-Latin; ::Latin-ASCII; [\\u02BE\\u02BF] > \\'; ::[^\\u0000-\\u007F] Any-Remove;";

std::mutex transliteratorLock;
icu::Transliterator *transliterator = nullptr;  // opened on first use, kept for the process

std::once_flag spoofOnce;
USpoofChecker *suspiciousChecker = nullptr;   // one identifier: scripts and confusables
USpoofChecker *confusableChecker = nullptr;   // two identifiers: every kind of confusable
UErrorCode spoofStatus = U_ZERO_ERROR;

void openSpoofCheckers() {
    suspiciousChecker = uspoof_open(&spoofStatus);
    uspoof_setChecks(suspiciousChecker, USPOOF_MIXED_SCRIPT_CONFUSABLE | USPOOF_RESTRICTION_LEVEL | USPOOF_INVISIBLE,
                     &spoofStatus);
    uspoof_setRestrictionLevel(suspiciousChecker, USPOOF_MODERATELY_RESTRICTIVE);
    confusableChecker = uspoof_open(&spoofStatus);
    uspoof_setChecks(confusableChecker, USPOOF_CONFUSABLE, &spoofStatus);
}

cicu::Cache<UCollator, ucol_close> &collators() {
    static auto *cache = new cicu::Cache<UCollator, ucol_close>(32);
    return *cache;
}

}  // namespace

int32_t cicu_transliterate_latin(const uint16_t *text, int32_t length, uint16_t *dest, int32_t capacity,
                                 int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        icu::UnicodeString work((const UChar *)text, length);
        {
            std::lock_guard<std::mutex> guard(transliteratorLock);
            if (transliterator == nullptr) {
                UParseError parseError;
                icu::UnicodeString rules(latinRules);
                transliterator = icu::Transliterator::createFromRules("cicu-Latin-ASCII", rules, UTRANS_FORWARD,
                                                                       parseError, code);
                if (U_FAILURE(code)) {
                    delete transliterator;
                    transliterator = nullptr;
                    *status = code;
                    return 0;
                }
            }
            // UnicodeString grows as needed: one Han character becomes up to seven letters.
            transliterator->transliterate(work);
        }
        if (work.isBogus()) code = U_MEMORY_ALLOCATION_ERROR;
        int32_t written = U_SUCCESS(code) ? work.extract((UChar *)dest, capacity, code) : 0;
        *status = code;
        return written;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

int32_t cicu_spoof_suspicious(const uint16_t *text, int32_t length, int32_t *status) {
    std::call_once(spoofOnce, openSpoofCheckers);
    if (U_FAILURE(spoofStatus)) {
        *status = spoofStatus;
        return 0;
    }
    UErrorCode code = U_ZERO_ERROR;
    int32_t result = uspoof_check2(suspiciousChecker, (const UChar *)text, length, nullptr, &code);
    *status = code;
    return U_SUCCESS(code) && result != 0 ? 1 : 0;
}

int32_t cicu_spoof_confusable(const uint16_t *a, int32_t aLength, const uint16_t *b, int32_t bLength,
                              int32_t *status) {
    std::call_once(spoofOnce, openSpoofCheckers);
    if (U_FAILURE(spoofStatus)) {
        *status = spoofStatus;
        return 0;
    }
    // Skeletons keep case ("siti" and "Siti" differ), but a name in other capitals still passes
    // for the same person.
    icu::UnicodeString first((const UChar *)a, aLength), second((const UChar *)b, bLength);
    first.foldCase();
    second.foldCase();
    UErrorCode code = U_ZERO_ERROR;
    int32_t result = uspoof_areConfusableUnicodeString(confusableChecker, first, second, &code);
    *status = code;
    return U_SUCCESS(code) && result != 0 ? 1 : 0;
}

int32_t cicu_collate(const char *locale, const uint16_t *a, int32_t aLength, const uint16_t *b, int32_t bLength,
                     int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        int32_t result = collators().with(
            locale, [&](UErrorCode &error) { return ucol_open(locale, &error); },
            [&](UCollator *collator) {
                return (int32_t)ucol_strcoll(collator, (const UChar *)a, aLength, (const UChar *)b, bLength);
            },
            code);
        *status = code;
        return result;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

int32_t cicu_collation_key(const char *locale, const uint16_t *text, int32_t length, uint8_t *dest, int32_t capacity,
                           int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        int32_t needed = collators().with(
            locale, [&](UErrorCode &error) { return ucol_open(locale, &error); },
            [&](UCollator *collator) {
                return ucol_getSortKey(collator, (const UChar *)text, length, dest, capacity);
            },
            code);
        // ucol_getSortKey reports no status: 0 means it failed, more than capacity that the
        // key did not fit.
        if (U_SUCCESS(code) && needed == 0) code = U_INTERNAL_PROGRAM_ERROR;
        if (U_SUCCESS(code) && needed > capacity) code = U_BUFFER_OVERFLOW_ERROR;
        *status = code;
        return needed;
    } catch (const std::bad_alloc &) {
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}
