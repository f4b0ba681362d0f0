// Helpers shared by the C++ parts of the facade. Private: not under include/, so neither
// Swift nor other targets ever see it (it includes ICU).
#ifndef CICU_INTERNAL_HPP
#define CICU_INTERNAL_HPP

#include <algorithm>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include <unicode/utypes.h>

namespace cicu {

/// Copies a UTF-8/ASCII result out with ICU's pre-flight contract: returns the full length,
/// writes what fits, NUL-terminates when there is room, and sets U_BUFFER_OVERFLOW_ERROR (no
/// room for the text) or U_STRING_NOT_TERMINATED_WARNING (no room for the NUL) otherwise.
inline int32_t copyOut(const std::string &value, char *dest, int32_t capacity, int32_t *status) {
    if (U_FAILURE((UErrorCode)*status)) return 0;
    int32_t length = (int32_t)value.size();
    if (dest != nullptr && capacity > 0) value.copy(dest, (size_t)(length < capacity ? length : capacity));
    if (length > capacity) {
        *status = U_BUFFER_OVERFLOW_ERROR;
    } else if (length == capacity) {
        *status = U_STRING_NOT_TERMINATED_WARNING;
    } else {
        dest[length] = '\0';
    }
    return length;
}

/// Orders CLDR plural categories as CLDR lists them (zero one two few many other), so that
/// reports read naturally; other words follow in their own order.
inline void sortCategories(std::vector<std::string> &categories) {
    static const char *const order[] = {"zero", "one", "two", "few", "many", "other"};
    std::vector<std::string> sorted;
    for (const char *category : order)
        if (std::find(categories.begin(), categories.end(), category) != categories.end()) sorted.emplace_back(category);
    for (const auto &word : categories)
        if (std::find(std::begin(order), std::end(order), word) == std::end(order)) sorted.push_back(word);
    categories.swap(sorted);
}

/// Joins words with single spaces ("few many").
template <typename Strings> std::string joined(const Strings &words) {
    std::string out;
    for (const auto &word : words) {
        if (!out.empty()) out += ' ';
        out += word;
    }
    return out;
}

/// ICU objects that are costly to open (collators, date formats, …), keyed by a string such as
/// a locale ID, each used only while the cache's lock is held: that makes objects that are not
/// thread-safe safe to share. Bounded: past `limit` entries an object is opened for one use and
/// closed again, so keys that come from clients cannot grow memory without end. Instances are
/// created with `new` and never destroyed, so no thread can use one during static destruction.
template <typename T, void (*Close)(T *)> class Cache {
  public:
    explicit Cache(size_t limit) : limit(limit) {}
    Cache(const Cache &) = delete;
    Cache &operator=(const Cache &) = delete;

    /// Calls `use(T *)` with the object for `key`, made by `open(UErrorCode &)` on first use,
    /// and returns what `use` returns; 0 when opening fails (and `code` says why).
    /// May throw std::bad_alloc (from std::map); entry points catch it.
    template <typename Open, typename Use> int32_t with(const std::string &key, Open open, Use use, UErrorCode &code) {
        std::lock_guard<std::mutex> guard(lock);
        auto found = items.find(key);
        if (found != items.end()) return use(found->second);
        T *item = open(code);
        if (U_FAILURE(code) || item == nullptr) {
            if (item != nullptr) Close(item);
            if (U_SUCCESS(code)) code = U_MEMORY_ALLOCATION_ERROR;
            return 0;
        }
        if (items.size() >= limit) {
            int32_t result = use(item);
            Close(item);
            return result;
        }
        try {
            items.emplace(key, item);
        } catch (...) {
            Close(item);
            throw;
        }
        return use(item);
    }

  private:
    std::mutex lock;
    std::map<std::string, T *> items;
    size_t limit;
};

}  // namespace cicu

#endif  // CICU_INTERNAL_HPP
