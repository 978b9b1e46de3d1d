//! Turning files into articles: folder walk, format sniffing, decoding, one parser per format,
//! and the date fallback chain.

pub mod dates;
pub mod html;
pub mod html_date;
