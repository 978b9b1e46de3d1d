//! Bytes to text: gzip, byte-order marks, declared charsets, and detection of legacy single-byte
//! encodings (Windows-1252, Windows-1251, KOI8-R …) with chardetng.
//!
//! Invalid bytes never fail a decode: they become U+FFFD, so a damaged file still imports.

use std::borrow::Cow;
use std::io::Read;

use encoding_rs::{Encoding, UTF_8};
use flate2::read::MultiGzDecoder;

pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// Why gzip data could not be inflated.
#[derive(Debug, PartialEq, Eq)]
pub enum GunzipError {
    /// The data expands past the limit; inflating stopped there.
    TooLarge,
    Broken(String),
}

/// Decompresses gzip data, stopping as soon as the output passes `max` bytes: a gzip bomb costs
/// at most `max` bytes of memory and the time to inflate them.
pub fn gunzip(bytes: &[u8], max: u64) -> Result<Vec<u8>, GunzipError> {
    // The output is usually a few times the input; never reserve more than the limit allows.
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(usize::try_from(max).unwrap_or(usize::MAX)));
    let read = MultiGzDecoder::new(bytes)
        .take(max.saturating_add(1))
        .read_to_end(&mut out)
        .map_err(|e| GunzipError::Broken(format!("broken gzip data: {e}")))?;
    if read as u64 > max {
        return Err(GunzipError::TooLarge);
    }
    Ok(out)
}

/// Decodes a whole document. Order: byte-order mark, valid UTF-8, UTF-8 with a few damaged
/// sequences (see [`mostly_utf8`]), the charset the document declares (HTML `<meta charset>` /
/// XML `encoding=`), then statistical detection.
pub fn decode_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        return text;
    }
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    if mostly_utf8(bytes) {
        return String::from_utf8_lossy(bytes);
    }
    let encoding = declared_charset(bytes).filter(|e| *e != UTF_8).unwrap_or_else(|| {
        let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
        detector.feed(bytes, true);
        detector.guess(None, chardetng::Utf8Detection::Deny)
    });
    let (text, _, _) = encoding.decode(bytes);
    text
}

/// Whether bytes that are not valid UTF-8 are UTF-8 text with a few damaged sequences (a page
/// that cut a teaser in the middle of a character) rather than a legacy encoding: valid
/// multi-byte characters outnumber invalid sequences at least four to one. Text in a single-byte
/// encoding has almost no valid multi-byte sequences (an accented letter there is one byte
/// followed by ASCII), so it still goes to the declared charset or to detection, while a UTF-8
/// page with one broken character is no longer decoded as Windows-1252 throughout.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(text) => {
                valid += text.bytes().filter(|b| *b >= 0xc0).count();
                break;
            }
            Err(e) => {
                let (good, after) = rest.split_at(e.valid_up_to());
                valid += good.iter().filter(|b| **b >= 0xc0).count();
                invalid += 1;
                // A sequence cut short by the end of the input has no error length.
                let Some(skip) = e.error_len() else { break };
                rest = &after[skip..];
            }
        }
    }
    valid > 0 && invalid * 4 <= valid
}

/// The charset an HTML or XML document declares in its first kilobytes, if any.
pub fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        let mut from = 0;
        while let Some(pos) = memchr::memmem::find(&lower[from..], key) {
            let start = from + pos + key.len();
            let label: Vec<u8> = lower[start..]
                .iter()
                .copied()
                .skip_while(|b| matches!(b, b'"' | b'\'' | b' '))
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))
                .collect();
            if let Some(encoding) = Encoding::for_label(&label) {
                return Some(encoding);
            }
            from = start;
        }
    }
    None
}

/// A short name for well-known binary formats, for the skip reason.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "PNG image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (also .docx/.xlsx/.epub)"),
        (b"\x7fELF", "executable"),
        (b"RIFF", "RIFF media file"),
        (b"\xd0\xcf\x11\xe0", "legacy Office document"),
        (b"7z\xbc\xaf", "7-Zip archive"),
        (b"BZh", "bzip2 archive"),
        (b"\xfd7zXZ", "xz archive"),
        (b"OggS", "Ogg media file"),
        (b"ID3", "MP3 audio"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return Some("MP4 media file");
    }
    if Encoding::for_bom(bytes).is_none() && looks_binary(&bytes[..bytes.len().min(8192)]) {
        return Some("binary data");
    }
    None
}

/// Whether a sample of bytes is binary rather than text with a few stray control bytes. Text
/// keeps control bytes other than tabs, line breaks and form feeds rare (a NUL in a sentence is
/// damage, not a format), while binary formats and compressed data are full of them: about one
/// byte in nine of random data is one.
fn looks_binary(sample: &[u8]) -> bool {
    let controls = sample.iter().filter(|&&b| is_stray_control(b)).count();
    controls * 16 > sample.len()
}

/// A control character that has no place in text: C0 controls other than tab, line feed,
/// carriage return and form feed, and DEL. In UTF-8 (and after decoding) they are single bytes.
fn is_stray_control(b: u8) -> bool {
    (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c)) || b == 0x7f
}

/// Decoded text without its stray control characters (see [`binary_kind`]): what is left of a
/// text file with a NUL byte in a sentence is the text.
pub fn drop_stray_controls(text: Cow<'_, str>) -> Cow<'_, str> {
    if !text.bytes().any(is_stray_control) {
        return text;
    }
    Cow::Owned(text.chars().filter(|&c| !(c.is_ascii() && is_stray_control(c as u8))).collect())
}

/// True when decoded text looks like prose rather than binary noise.
pub fn looks_like_text(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(8192).collect();
    if sample.is_empty() {
        return false;
    }
    let bad = sample
        .iter()
        .filter(|c| (c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\x0c')) || **c == '\u{fffd}')
        .count();
    bad * 20 < sample.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode_text("Käse".as_bytes()), "Käse");
        assert_eq!(decode_text(b"\xef\xbb\xbfK\xc3\xa4se"), "Käse");
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xff, 0xfe];
        for unit in "Путин".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode_text(&bytes), "Путин");
    }

    #[test]
    fn declared_and_detected_legacy_encodings() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("<meta charset=\"windows-1251\">Путин и Кремль");
        assert_eq!(decode_text(&cp1251), "<meta charset=\"windows-1251\">Путин и Кремль");
        let (latin, _, _) = encoding_rs::WINDOWS_1252.encode("Le président a déclaré à la presse qu’il était prêt");
        assert_eq!(decode_text(&latin), "Le président a déclaré à la presse qu’il était prêt");
    }

    #[test]
    fn utf8_with_a_damaged_character_stays_utf8() {
        // A teaser cut inside "ó", then the rest of a Polish page; declared or not.
        let mut bytes = b"<meta charset=\"UTF-8\"><p>przemyt paczek papieros\xc3...</p>".to_vec();
        bytes.extend_from_slice("<p>Sprzeciw wobec ataków na Fundację, mówią księża</p>".as_bytes());
        let text = decode_text(&bytes);
        assert!(text.contains("ataków na Fundację, mówią księża"), "{text}");
        assert!(text.contains("papieros\u{fffd}..."), "{text}");
        let undeclared = decode_text(&bytes[23..]);
        assert!(undeclared.contains("ataków"), "{undeclared}");
        // Windows-1252 that declares UTF-8 has no valid multi-byte characters: still detected.
        let (latin, _, _) = encoding_rs::WINDOWS_1252
            .encode("<meta charset=\"utf-8\">Le président a déclaré à la presse qu’il était prêt");
        assert!(decode_text(&latin).contains("Le président a déclaré"));
    }

    #[test]
    fn invalid_bytes_never_panic() {
        let text = decode_text(b"abc\xff\xfe\xfd def");
        assert!(text.starts_with("abc"));
    }

    #[test]
    fn binary_kinds() {
        assert_eq!(binary_kind(b"\x89PNG\r\n\x1a\n...."), Some("PNG image"));
        assert_eq!(binary_kind(b"hello"), None);
        assert_eq!(binary_kind(b"he\0llo"), Some("binary data"));
        assert_eq!(binary_kind(&[7u8; 100]), Some("binary data"));
    }

    #[test]
    fn stray_control_bytes_in_text_are_dropped_not_fatal() {
        let text = b"The minister said\0 that the talks would go on. ".repeat(4);
        assert_eq!(binary_kind(&text), None);
        let decoded = drop_stray_controls(decode_text(&text));
        assert!(decoded.starts_with("The minister said that the talks"), "{decoded}");
        assert!(matches!(drop_stray_controls(Cow::Borrowed("tab\tand\r\nlines\x0c")), Cow::Borrowed(_)));
    }

    #[test]
    fn gzip_round_trip_and_garbage() {
        use std::io::Write;
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(b"{\"title\":\"x\"}").unwrap();
        let gz = enc.finish().unwrap();
        assert!(is_gzip(&gz));
        assert_eq!(gunzip(&gz, 100).unwrap(), b"{\"title\":\"x\"}");
        assert_eq!(gunzip(&gz, 5), Err(GunzipError::TooLarge));
        assert!(matches!(gunzip(b"\x1f\x8bgarbage", 100), Err(GunzipError::Broken(_))));
    }
}
