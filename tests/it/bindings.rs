//! The UI's TypeScript types are generated from the core's; this fails when they drift.
//! Regenerate with `make bindings` (TEND_UPDATE_BINDINGS=1 cargo test --test it bindings::).

use std::collections::BTreeSet;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/lib/bindings")
}

#[test]
fn typescript_bindings_match_the_rust_types() {
    if std::env::var_os("TEND_UPDATE_BINDINGS").is_some() {
        let _ = std::fs::remove_dir_all(dir());
        tend::api::write_bindings(&dir()).expect("write bindings");
        std::fs::write(dir().join("commands.ts"), commands_typescript()).expect("commands.ts");
    }
    let expected = tend::api::bindings();
    for b in &expected {
        assert!(!b.text.contains("export failed"), "{}: {}", b.file, b.text);
        let on_disk = std::fs::read_to_string(dir().join(&b.file)).unwrap_or_default();
        assert_eq!(
            on_disk, b.text,
            "ui/src/lib/bindings/{} is stale: run `make bindings`",
            b.file
        );
    }
    let mut wanted: BTreeSet<String> = expected.into_iter().map(|b| b.file).collect();
    // Made by the_command_table_matches_the_shell, from the shell's source.
    wanted.insert("commands.ts".into());
    let present: BTreeSet<String> = std::fs::read_dir(dir())
        .expect("bindings folder")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(
        present, wanted,
        "ui/src/lib/bindings holds files no Rust type makes"
    );
}

/// One command: its name, its arguments (Rust name and type) and its result type.
type Command = (String, Vec<(String, String)>, String);

/// The Tauri commands, read from `src-tauri/src/*.rs`, for every `#[tauri::command]`
/// function.
fn commands() -> Vec<Command> {
    let shell = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src-tauri/src");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&shell)
        .expect("src-tauri/src")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("source");
        for part in text.split("#[tauri::command]").skip(1) {
            let head = &part[..part.find('{').expect("a body")];
            let name_at = head.find("fn ").expect("fn") + 3;
            let open = head.find('(').expect("(");
            let name = head[name_at..open].trim().to_string();
            let close = closing(head, open);
            let args = split_top(&head[open + 1..close])
                .into_iter()
                .filter_map(|a| {
                    let (n, t) = a.split_once(':')?;
                    let t = t.trim().to_string();
                    let shell_only =
                        t.starts_with("State<") || t.contains("AppHandle") || t.contains("Window");
                    (!shell_only).then(|| (n.trim().to_string(), t))
                })
                .collect();
            let ret = head[close + 1..].trim().trim_start_matches("->").trim();
            let ret = ret
                .strip_prefix("Reply<")
                .and_then(|r| r.strip_suffix('>'))
                .unwrap_or(if ret.is_empty() { "()" } else { ret });
            out.push((name, args, ret.to_string()));
        }
    }
    out.sort();
    out
}

/// Where the parenthesis opened at `open` closes.
fn closing(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in {s}");
}

/// `a, b<c, d>, e` split at the commas outside angle brackets and parentheses.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0i32, String::new());
    for c in s.chars() {
        match c {
            '<' | '(' => depth += 1,
            '>' | ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    parts.push(cur);
    parts
        .into_iter()
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// A Rust type as the TypeScript the UI sees; names of generated types are collected.
fn ts(rust: &str, names: &mut BTreeSet<String>) -> String {
    let t = rust.trim();
    let inner = |prefix: &str| t.strip_prefix(prefix).and_then(|r| r.strip_suffix('>'));
    if let Some(i) = inner("Option<") {
        return format!("{} | null", ts(i, names));
    }
    if let Some(i) = inner("Vec<") {
        let item = ts(i, names);
        return if item.contains(' ') {
            format!("({item})[]")
        } else {
            format!("{item}[]")
        };
    }
    match t {
        "String" | "&str" | "PathBuf" => "string".into(),
        "bool" => "boolean".into(),
        "i64" | "u64" | "usize" | "u32" | "i32" | "f64" => "number".into(),
        "()" => "null".into(),
        path => {
            let name = path.rsplit("::").next().unwrap_or(path).to_string();
            names.insert(name.clone());
            name
        }
    }
}

/// `launch_date` → `launchDate`, as Tauri names a command's arguments.
fn camel(s: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in s.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// `commands.ts`: every command with its arguments and result, for `rpc.ts`.
fn commands_typescript() -> String {
    let mut names = BTreeSet::new();
    let mut rows = String::new();
    for (name, args, ret) in commands() {
        let args = if args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> = args
                .iter()
                .map(|(n, t)| format!("{}: {}", camel(n), ts(t, &mut names)))
                .collect();
            format!("{{ {} }}", fields.join("; "))
        };
        let ret = ts(&ret, &mut names);
        rows.push_str(&format!("  {name}: {{ args: {args}; result: {ret} }};\n"));
    }
    let imports: String = names
        .iter()
        .map(|n| format!("import type {{ {n} }} from './{n}';\n"))
        .collect();
    format!(
        "// Generated from the #[tauri::command] functions of src-tauri/src by `make bindings`:\n\
         // each command's name, its arguments as Tauri takes them (camelCase) and its result.\n\
         {imports}\nexport interface Commands {{\n{rows}}}\n"
    )
}

#[test]
fn the_command_table_matches_the_shell() {
    let text = commands_typescript();
    let path = dir().join("commands.ts");
    if std::env::var_os("TEND_UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &text).expect("write commands.ts");
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        on_disk, text,
        "ui/src/lib/bindings/commands.ts is stale: run `make bindings`"
    );
    // Every type a command names is one the core generates.
    let mut names = BTreeSet::new();
    for (_, args, ret) in commands() {
        for (_, t) in &args {
            ts(t, &mut names);
        }
        ts(&ret, &mut names);
    }
    let generated: BTreeSet<String> = tend::api::bindings().into_iter().map(|b| b.file).collect();
    for n in names {
        assert!(
            generated.contains(&format!("{n}.ts")),
            "{n} has no generated binding"
        );
    }
}
