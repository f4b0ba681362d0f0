// Text functions of the CICU facade: NFC, grapheme clusters, base direction, status names.
// Plain C over ICU's C API; the header that Swift sees never includes ICU.

#include "CICU.h"

#include <unicode/ubidi.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

// The header's copies of UErrorCode values must not drift from ICU's.
_Static_assert(CICU_ZERO_ERROR == U_ZERO_ERROR, "U_ZERO_ERROR");
_Static_assert(CICU_ILLEGAL_ARGUMENT_ERROR == U_ILLEGAL_ARGUMENT_ERROR, "U_ILLEGAL_ARGUMENT_ERROR");
_Static_assert(CICU_MEMORY_ALLOCATION_ERROR == U_MEMORY_ALLOCATION_ERROR, "U_MEMORY_ALLOCATION_ERROR");
_Static_assert(CICU_BUFFER_OVERFLOW_ERROR == U_BUFFER_OVERFLOW_ERROR, "U_BUFFER_OVERFLOW_ERROR");

const char *cicu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

int32_t cicu_utf16_from_utf8(const char *text, int32_t length, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    int32_t written = 0;
    u_strFromUTF8(dest, capacity, &written, text, length, &code);
    *status = code;
    return written;
}

int32_t cicu_nfc_is_normalized(const uint16_t *text, int32_t length, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&code);
    UBool normalized = U_SUCCESS(code) ? unorm2_isNormalized(nfc, text, length, &code) : 0;
    *status = code;
    return U_SUCCESS(code) && normalized ? 1 : 0;
}

int32_t cicu_nfc_normalize(const uint16_t *text, int32_t length, uint16_t *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&code);
    int32_t written = U_SUCCESS(code) ? unorm2_normalize(nfc, text, length, dest, capacity, &code) : 0;
    *status = code;
    return written;
}

int32_t cicu_grapheme_count(const uint16_t *text, int32_t length, int32_t *status) {
    if (length <= 0 || U_FAILURE((UErrorCode)*status)) return 0;
    UErrorCode code = (UErrorCode)*status;
    // The root locale: extended grapheme clusters do not depend on the language.
    UBreakIterator *breaks = ubrk_open(UBRK_CHARACTER, "", text, length, &code);
    int32_t count = 0;
    if (U_SUCCESS(code)) {
        ubrk_first(breaks);
        while (ubrk_next(breaks) != UBRK_DONE) count += 1;
    }
    ubrk_close(breaks);
    *status = code;
    return count;
}

int32_t cicu_grapheme_prefix_length(const uint16_t *text, int32_t length, int32_t maxClusters, int32_t *status) {
    if (length <= 0 || maxClusters <= 0 || U_FAILURE((UErrorCode)*status)) return 0;
    UErrorCode code = (UErrorCode)*status;
    UBreakIterator *breaks = ubrk_open(UBRK_CHARACTER, "", text, length, &code);
    int32_t end = 0;
    if (U_SUCCESS(code)) {
        ubrk_first(breaks);
        for (int32_t count = 0; count < maxClusters; count++) {
            int32_t next = ubrk_next(breaks);
            if (next == UBRK_DONE) break;
            end = next;
        }
    }
    ubrk_close(breaks);
    *status = code;
    return end;
}

int32_t cicu_base_direction(const uint16_t *text, int32_t length) {
    if (length <= 0) return CICU_DIRECTION_NEUTRAL;
    switch (ubidi_getBaseDirection(text, length)) {
    case UBIDI_LTR: return CICU_DIRECTION_LTR;
    case UBIDI_RTL: return CICU_DIRECTION_RTL;
    default: return CICU_DIRECTION_NEUTRAL;
    }
}
