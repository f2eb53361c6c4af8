//! Write-then-read returns the same document, for generated documents.

use ast::*;
use proptest::prelude::*;

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zé« »:!?\\\\\"/]{0,8}",
        any::<String>(),
        Just(String::new()),
    ]
}

fn attr() -> impl Strategy<Value = Attr> {
    (
        text(),
        prop::collection::vec(text(), 0..3),
        prop::collection::vec((text(), text()), 0..3),
    )
        .prop_map(|(id, classes, attributes)| Attr {
            id,
            classes,
            attributes,
        })
}

fn target() -> impl Strategy<Value = Target> {
    (text(), text()).prop_map(|(url, title)| Target { url, title })
}

fn leaf_inline() -> impl Strategy<Value = Inline> {
    prop_oneof![
        text().prop_map(Inline::Str),
        Just(Inline::Space),
        Just(Inline::SoftBreak),
        Just(Inline::LineBreak),
        (attr(), text()).prop_map(|(a, t)| Inline::Code(Box::new(a), t)),
        (
            prop_oneof![Just(MathType::InlineMath), Just(MathType::DisplayMath)],
            text()
        )
            .prop_map(|(m, t)| Inline::Math(m, t)),
        (text(), text()).prop_map(|(f, t)| Inline::RawInline(Format(f), t)),
    ]
}

fn leaf_block() -> impl Strategy<Value = Block> {
    prop_oneof![
        Just(Block::HorizontalRule),
        (attr(), text()).prop_map(|(a, t)| Block::CodeBlock(a, t)),
        (text(), text()).prop_map(|(f, t)| Block::RawBlock(Format(f), t)),
    ]
}

fn alignment() -> impl Strategy<Value = Alignment> {
    prop_oneof![
        Just(Alignment::AlignLeft),
        Just(Alignment::AlignRight),
        Just(Alignment::AlignCenter),
        Just(Alignment::AlignDefault),
    ]
}

fn list_attributes() -> impl Strategy<Value = ListAttributes> {
    (
        -5i64..100,
        prop_oneof![
            Just(ListNumberStyle::DefaultStyle),
            Just(ListNumberStyle::Example),
            Just(ListNumberStyle::Decimal),
            Just(ListNumberStyle::LowerRoman),
            Just(ListNumberStyle::UpperRoman),
            Just(ListNumberStyle::LowerAlpha),
            Just(ListNumberStyle::UpperAlpha),
        ],
        prop_oneof![
            Just(ListNumberDelim::DefaultDelim),
            Just(ListNumberDelim::Period),
            Just(ListNumberDelim::OneParen),
            Just(ListNumberDelim::TwoParens),
        ],
    )
        .prop_map(|(start, style, delim)| ListAttributes {
            start,
            style,
            delim,
        })
}

/// Blocks and inlines generated together, since each contains the other.
fn blocks(depth: u32) -> BoxedStrategy<Vec<Block>> {
    prop::collection::vec(block(depth), 0..4).boxed()
}

fn inlines(depth: u32) -> BoxedStrategy<Vec<Inline>> {
    prop::collection::vec(inline(depth), 0..5).boxed()
}

fn inline(depth: u32) -> BoxedStrategy<Inline> {
    if depth == 0 {
        return leaf_inline().boxed();
    }
    let ils = || inlines(depth - 1);
    prop_oneof![
        3 => leaf_inline(),
        1 => ils().prop_map(Inline::Emph),
        1 => ils().prop_map(Inline::Underline),
        1 => ils().prop_map(Inline::Strong),
        1 => ils().prop_map(Inline::Strikeout),
        1 => ils().prop_map(Inline::Superscript),
        1 => ils().prop_map(Inline::Subscript),
        1 => ils().prop_map(Inline::SmallCaps),
        1 => (prop_oneof![Just(QuoteType::SingleQuote), Just(QuoteType::DoubleQuote)], ils())
            .prop_map(|(q, i)| Inline::Quoted(q, i)),
        1 => (prop::collection::vec((text(), ils(), ils(), 0i64..3, any::<i64>(), any::<i64>()), 0..2), ils())
            .prop_map(|(cits, i)| Inline::Cite(cits.into_iter().map(|(id, prefix, suffix, m, note_num, hash)| Citation {
                id, prefix, suffix,
                mode: [CitationMode::AuthorInText, CitationMode::SuppressAuthor, CitationMode::NormalCitation][m as usize],
                note_num, hash,
            }).collect(), i)),
        1 => (attr(), ils(), target()).prop_map(|(a, i, t)| Inline::Link(Box::new(a), i, Box::new(t))),
        1 => (attr(), ils(), target()).prop_map(|(a, i, t)| Inline::Image(Box::new(a), i, Box::new(t))),
        1 => blocks(depth - 1).prop_map(Inline::Note),
        1 => (attr(), ils()).prop_map(|(a, i)| Inline::Span(Box::new(a), i)),
    ]
    .boxed()
}

fn caption(depth: u32) -> impl Strategy<Value = Caption> {
    (prop::option::of(inlines(depth)), blocks(depth)).prop_map(|(s, l)| Caption(s, l))
}

fn rows(depth: u32) -> impl Strategy<Value = Vec<Row>> {
    prop::collection::vec(
        (
            attr(),
            prop::collection::vec(
                (attr(), alignment(), 1i64..3, 1i64..3, blocks(depth))
                    .prop_map(|(a, al, rs, cs, b)| Cell(a, al, rs, cs, b)),
                0..3,
            ),
        )
            .prop_map(|(a, c)| Row(a, c)),
        0..2,
    )
}

fn block(depth: u32) -> BoxedStrategy<Block> {
    if depth == 0 {
        return prop_oneof![leaf_block(), inlines(0).prop_map(Block::Plain)].boxed();
    }
    let d = depth - 1;
    prop_oneof![
        2 => leaf_block(),
        2 => inlines(d).prop_map(Block::Plain),
        2 => inlines(d).prop_map(Block::Para),
        1 => prop::collection::vec(inlines(d), 0..3).prop_map(Block::LineBlock),
        1 => blocks(d).prop_map(Block::BlockQuote),
        1 => (list_attributes(), prop::collection::vec(blocks(d), 0..3))
            .prop_map(|(la, i)| Block::OrderedList(la, i)),
        1 => prop::collection::vec(blocks(d), 0..3).prop_map(Block::BulletList),
        1 => prop::collection::vec((inlines(d), prop::collection::vec(blocks(d), 0..2)), 0..2)
            .prop_map(Block::DefinitionList),
        1 => (1i64..7, attr(), inlines(d)).prop_map(|(l, a, i)| Block::Header(l, a, i)),
        1 => (
            attr(),
            caption(d),
            prop::collection::vec(
                (alignment(), prop_oneof![
                    Just(ColWidth::ColWidthDefault),
                    any::<f64>().prop_filter("finite", |x| x.is_finite()).prop_map(ColWidth::ColWidth),
                    (0.0f64..1.0).prop_map(ColWidth::ColWidth),
                ])
                .prop_map(|(a, w)| ColSpec(a, w)),
                0..3,
            ),
            (attr(), rows(d)),
            prop::collection::vec((attr(), 0i64..2, rows(d), rows(d)), 0..2),
            (attr(), rows(d)),
        )
            .prop_map(|(a, c, cs, (ha, hr), bodies, (fa, fr))| {
                Block::Table(Box::new(Table {
                    attr: a,
                    caption: c,
                    colspecs: cs,
                    head: TableHead(ha, hr),
                    bodies: bodies.into_iter().map(|(a, n, h, b)| TableBody(a, n, h, b)).collect(),
                    foot: TableFoot(fa, fr),
                }))
            }),
        1 => (attr(), caption(d), blocks(d)).prop_map(|(a, c, b)| Block::Figure(a, c, b)),
        1 => (attr(), blocks(d)).prop_map(|(a, b)| Block::Div(a, b)),
    ]
    .boxed()
}

fn meta_value(depth: u32) -> BoxedStrategy<MetaValue> {
    let leaf = prop_oneof![
        any::<bool>().prop_map(MetaValue::MetaBool),
        text().prop_map(MetaValue::MetaString),
        inlines(1).prop_map(MetaValue::MetaInlines),
        blocks(1).prop_map(MetaValue::MetaBlocks),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => prop::collection::vec(meta_value(depth - 1), 0..3).prop_map(MetaValue::MetaList),
        1 => prop::collection::btree_map(text(), meta_value(depth - 1), 0..3).prop_map(MetaValue::MetaMap),
    ]
    .boxed()
}

fn document() -> impl Strategy<Value = Pandoc> {
    (
        prop::collection::btree_map(text(), meta_value(2), 0..3),
        blocks(3),
    )
        .prop_map(|(meta, blocks)| Pandoc::new(meta, blocks))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn write_then_read_is_identity(doc in document()) {
        let json = to_json_string(&doc);
        let back = read_json(&json).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(&back, &doc);
        // And writing again gives the same bytes.
        prop_assert_eq!(to_json_string(&back), json);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Any bytes: an error or a document, never a panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = read_json_bytes(&bytes);
    }

    /// Valid documents cut or corrupted at any point give an error with a
    /// position inside the input, never a panic.
    #[test]
    fn corrupted_documents_give_positioned_errors(doc in document(), cut in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let json = to_json_string(&doc);
        let mut bytes = json.into_bytes();
        let at = cut.index(bytes.len());
        bytes[at] = byte;
        if let Err(JsonError::Syntax { line, column, .. }) = read_json_bytes(&bytes) {
            prop_assert!(line >= 1 && column >= 1);
        }
        // Cut before the final '}' (the last byte is pandoc's newline).
        bytes.truncate(at.min(bytes.len() - 2));
        prop_assert!(read_json_bytes(&bytes).is_err());
    }
}
