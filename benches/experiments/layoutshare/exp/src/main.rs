use std::time::Instant;
use kub::render::typst::{PdfEngine, TypstDocument};
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = args[0].parse().unwrap();
    let files: Vec<String> = args[1..].iter().map(|p| std::fs::read_to_string(p).unwrap()).collect();
    let engine = PdfEngine::new();
    let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>"#;
    let doc = |source: &String| TypstDocument {
        name: "certificate.typ".into(),
        source: source.clone(),
        files: vec![("certificate.json".into(), typst::foundations::Bytes::from_string("{}".to_string())),
                    ("verification-qr.svg".into(), typst::foundations::Bytes::from_string(svg.to_string()))],
        archival: true,
        ident: "x".into(),
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 14).unwrap(),
    };
    let mut times = Vec::new();
    for round in 0..rounds {
        let source = &files[round % files.len()];
        let started = Instant::now();
        engine.compile(&doc(source)).unwrap();
        times.push(started.elapsed());
    }
    let alone = Instant::now();
    for round in 0..rounds { engine.compile_alone(&doc(&files[round % files.len()])).unwrap(); }
    let alone = alone.elapsed() / rounds as u32;
    times.sort();
    println!("alternating {} files: median {:?}; alone {:?}", files.len(), times[times.len()/2], alone);
}
