//! The scenario in the URL fragment: `#s=` + base64url(deflate(YAML)), so a link carries it.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The fragment's key.
pub const KEY: &str = "s=";

/// The largest scenario a link may carry once inflated (a link is not a file upload).
pub const MAX_INFLATED: usize = 4 << 20;

/// The fragment (without `#`) that carries this text.
pub fn encode(text: &str) -> String {
    let packed = miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9);
    format!("{KEY}{}", URL_SAFE_NO_PAD.encode(packed))
}

/// The text a fragment carries (with or without the leading `#`); `None` when the fragment holds
/// no scenario; an error naming what is wrong when it holds a damaged one.
pub fn decode(fragment: &str) -> Option<Result<String, String>> {
    let body = fragment.trim_start_matches('#').strip_prefix(KEY)?;
    Some(decode_body(body))
}

fn decode_body(body: &str) -> Result<String, String> {
    let packed = URL_SAFE_NO_PAD
        .decode(body.trim_end_matches('='))
        .map_err(|e| format!("the link's scenario is not valid base64url: {e}"))?;
    let bytes = miniz_oxide::inflate::decompress_to_vec_with_limit(&packed, MAX_INFLATED)
        .map_err(|e| format!("the link's scenario cannot be inflated: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "the link's scenario is not UTF-8 text".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use kplan_core::examples::EXAMPLES;

    #[test]
    fn every_example_round_trips_and_shrinks() {
        for e in EXAMPLES {
            let frag = encode(e.text);
            assert!(frag.len() < e.text.len(), "{}: {} ≥ {}", e.file, frag.len(), e.text.len());
            assert!(frag.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_=".contains(&b)));
            assert_eq!(decode(&format!("#{frag}")), Some(Ok(e.text.to_string())));
        }
    }

    #[test]
    fn other_fragments_and_damage_are_told_apart() {
        assert_eq!(decode(""), None);
        assert_eq!(decode("#plan"), None);
        let err = decode("#s=!!!").unwrap().unwrap_err();
        assert!(err.contains("base64url"), "{err}");
        let err = decode("#s=AAAA").unwrap().unwrap_err();
        assert!(err.contains("inflated"), "{err}");
    }

    #[test]
    fn a_deflate_bomb_is_refused() {
        let huge = "a".repeat(MAX_INFLATED + 1);
        let err = decode(&encode(&huge)).unwrap().unwrap_err();
        assert!(err.contains("inflated"), "{err}");
    }
}
