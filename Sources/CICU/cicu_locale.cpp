// Locale functions of the CICU facade. C++ because CLDR alias canonicalisation ("in" → "id")
// is only in icu::Locale::canonicalize(); uloc_canonicalize() keeps the deprecated codes.

#include "CICU.h"
#include "cicu_internal.hpp"

#include <algorithm>
#include <new>
#include <string>

#include <unicode/locid.h>
#include <unicode/uloc.h>

extern "C" int32_t cicu_locale_canonical(const char *tag, char *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    if (U_FAILURE(code)) return 0;
    try {
        // Accept ICU-style IDs ("zh_Hans") as well as BCP 47 tags ("zh-Hans").
        std::string bcp47(tag);
        std::replace(bcp47.begin(), bcp47.end(), '_', '-');
        icu::Locale locale = icu::Locale::forLanguageTag(bcp47, code);
        if (U_SUCCESS(code)) locale.canonicalize(code);
        if (U_SUCCESS(code) && (locale.isBogus() || locale.getBaseName()[0] == '\0')) code = U_ILLEGAL_ARGUMENT_ERROR;
        *status = code;
        if (U_FAILURE(code)) return 0;
        return cicu::copyOut(locale.getBaseName(), dest, capacity, status);
    } catch (const std::bad_alloc &) {  // from std::string; nothing may unwind into Swift
        *status = U_MEMORY_ALLOCATION_ERROR;
        return 0;
    }
}

extern "C" int32_t cicu_locale_maximize(const char *localeID, char *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    int32_t length = uloc_addLikelySubtags(localeID, dest, capacity, &code);
    *status = code;
    return length;
}

extern "C" int32_t cicu_locale_parent(const char *localeID, char *dest, int32_t capacity, int32_t *status) {
    UErrorCode code = (UErrorCode)*status;
    int32_t length = uloc_getParent(localeID, dest, capacity, &code);
    *status = code;
    return length;
}

extern "C" int32_t cicu_locale_is_rtl(const char *localeID) { return uloc_isRightToLeft(localeID) ? 1 : 0; }
