import Testing

@testable import JembatanText

@Suite struct WordSegmenterTests {
    @Test(arguments: [
        ("Saya perlu memperpanjang izin tinggal.", ["saya", "perlu", "memperpanjang", "izin", "tinggal"]),
        ("Visa, KITAS & paspor!", ["visa", "kitas", "paspor"]),
        ("أحتاج إلى تمديد الإقامة", ["أحتاج", "إلى", "تمديد", "الإقامة"]),
        ("我想咨询居留许可", ["我想", "咨询", "居留", "许可"]),  // ICU 72's dictionary
        ("", []),
    ])
    func segmentsWordsWithoutSpacesOrPunctuation(text: String, words: [String]) {
        #expect(WordSegmenter.words(in: text) == words)
    }
}
