//! Reading a change file from the shared folder: whatever the bytes, `segment::decode`
//! returns records or a reason, never panics, and every record it returns is either
//! refused by validation with a reason or well formed. Without a passphrase (the clear
//! path) and with one (so an unsealed file must be refused).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tend::sync::segment::{self, Keys, Problem};
use tend::sync::validate;

fuzz_target!(|data: &[u8]| {
    if let Ok((header, changes)) = segment::decode(data, &mut Keys::new(None)) {
        assert!(header.first <= header.last);
        for c in &changes {
            assert_eq!(c.device, header.device);
            let _ = validate::refusal(c);
        }
    }
    // A sealing laptop never opens what the passphrase did not seal.
    if let Ok(h) = segment::header(data) {
        if h.sealed.is_none() {
            let sealed = segment::decode(data, &mut Keys::new(Some("fuzz passphrase")));
            assert!(matches!(sealed, Err(Problem::Unsealed | Problem::Incomplete | Problem::Damaged(_))));
        }
    }
});
