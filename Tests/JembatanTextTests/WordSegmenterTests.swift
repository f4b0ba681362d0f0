import Testing

@testable import JembatanText

@Suite struct WordSegmenterTests {
    @Test(arguments: [
        ("Saya perlu memperpanjang izin tinggal.", ["saya", "perlu", "memperpanjang", "izin", "tinggal"]),
        ("Visa, KITAS & paspor!", ["visa", "kitas", "paspor"]),
        ("أحتاج إلى تمديد الإقامة", ["أحتاج", "إلى", "تمديد", "الإقامة"]),
        ("我想咨询居留许可", ["我想", "咨询", "居留", "许可"]),  // ICU 72's dictionary
        ("😀 Izin 😀tinggal 𝐀b", ["izin", "tinggal", "𝐀b"]),  // ICU counts UTF-16: pairs before a word
        ("", []),
    ])
    func segmentsWordsWithoutSpacesOrPunctuation(text: String, words: [String]) {
        #expect(WordSegmenter.words(in: text) == words)
    }
}

extension WordSegmenterTests {
    /// The index's form is built in one piece; it must equal the words lower-cased one by one
    /// and joined, or stored text and queries would no longer meet.
    @Test(arguments: [
        "Saya perlu memperpanjang izin tinggal.", "ΟΔΟΣ ΣΑΣ ΟΔΟΣ.", "İSTANBUL DİYARBAKIR", "STRASSE Straße ǅemal",
        "أحتاج إلى تمديد الإقامة", "我想咨询居留许可 KITAS", "e-mail: Visa_2024 v1.2 can't 👩🏽‍⚕️ ok", "  ", "",
        "ABC\u{0301}DEF \u{1D400}\u{1D401}", "Σ Σ", "AΣ.BΣ",
    ])
    func joinedWordsEqualTheWordsJoined(text: String) {
        #expect(WordSegmenter.joinedWords(in: text) == WordSegmenter.words(in: text).joined(separator: " "))
    }
}
