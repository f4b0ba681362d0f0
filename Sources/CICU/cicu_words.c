// Word segmentation for the search index: ICU's word break iterator, keeping only the
// segments whose rule status says they are words (not spaces or punctuation).

#include "cicu_words.h"

#include <unicode/ubrk.h>

int32_t cicu_word_boundaries(const uint16_t *text, int32_t length, const char *locale, int32_t *starts,
                             int32_t *ends, int32_t capacity, int32_t *status) {
    if (length <= 0 || U_FAILURE((UErrorCode)*status)) return 0;
    UErrorCode code = (UErrorCode)*status;
    UBreakIterator *breaks = ubrk_open(UBRK_WORD, locale, text, length, &code);
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
        ubrk_close(breaks);
    }
    if (U_SUCCESS(code) && count > capacity) code = U_BUFFER_OVERFLOW_ERROR;
    *status = code;
    return count;
}
