// Word segmentation for the search index: ICU's word break iterator, keeping only the
// segments whose rule status says they are words (not spaces or punctuation).

#include "cicu_words.h"

#include <string.h>
#include <unicode/ubrk.h>

/* One word iterator per thread, kept and given new text: opening one costs far more than
 * segmenting a message. Thread-local, so the store, reports and service threads never share
 * one; the locale it was opened for is kept beside it. */
static __thread UBreakIterator *cached_iterator;
static __thread char cached_locale[64];

static UBreakIterator *cached_word_iterator(const char *locale, const uint16_t *text, int32_t length, UErrorCode *code) {
    if (cached_iterator && strncmp(cached_locale, locale, sizeof cached_locale) == 0) {
        ubrk_setText(cached_iterator, text, length, code);
        return cached_iterator;
    }
    UBreakIterator *opened = ubrk_open(UBRK_WORD, locale, text, length, code);
    if (U_FAILURE(*code)) return opened;
    if (strlen(locale) < sizeof cached_locale) {
        if (cached_iterator) ubrk_close(cached_iterator);
        cached_iterator = opened;
        strcpy(cached_locale, locale);
    }
    return opened;
}

int32_t cicu_word_boundaries(const uint16_t *text, int32_t length, const char *locale, int32_t *starts,
                             int32_t *ends, int32_t capacity, int32_t *status) {
    if (length <= 0 || U_FAILURE((UErrorCode)*status)) return 0;
    UErrorCode code = (UErrorCode)*status;
    UBreakIterator *breaks = cached_word_iterator(locale, text, length, &code);
    int32_t count = 0;
    if (U_SUCCESS(code)) {
        int32_t start = ubrk_first(breaks);
        for (int32_t end = ubrk_next(breaks); end != UBRK_DONE; start = end, end = ubrk_next(breaks)) {
            if (ubrk_getRuleStatus(breaks) == UBRK_WORD_NONE) continue;
            if (count < capacity && starts && ends) {
                starts[count] = start;
                ends[count] = end;
            }
            count++;
        }
    }
    if (breaks && breaks != cached_iterator) ubrk_close(breaks);
    if (U_SUCCESS(code) && count > capacity) code = U_BUFFER_OVERFLOW_ERROR;
    *status = code;
    return count;
}
