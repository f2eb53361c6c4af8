//! YAML metadata blocks with pandoc's rules: string scalars are Markdown,
//! booleans are `MetaBool`, keys ending in `_` are ignored, later blocks
//! replace the keys of earlier ones.

use std::collections::BTreeMap;

use ast::{Block, MetaValue};
use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// A YAML node as written, scalars with their style.
#[derive(Debug)]
pub(crate) enum Node {
    Scalar(String, bool),
    Seq(Vec<Node>),
    Map(Vec<(String, Node)>),
}

#[derive(Default)]
struct Builder {
    stack: Vec<Node>,
    keys: Vec<Option<String>>,
    docs: Vec<Node>,
    anchors: std::collections::HashMap<usize, usize>,
}

impl Builder {
    fn insert(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.docs.push(node),
            Some(Node::Seq(v)) => v.push(node),
            Some(Node::Map(m)) => {
                let key_slot = self.keys.last_mut().expect("a key slot for every map");
                match key_slot.take() {
                    None => {
                        *key_slot = Some(match node {
                            Node::Scalar(s, _) => s,
                            _ => String::new(),
                        })
                    }
                    Some(k) => m.push((k, node)),
                }
            }
            Some(Node::Scalar(..)) => {}
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, ev: Event, _mark: Marker) {
        match ev {
            Event::Scalar(v, style, anchor, _) => {
                let _ = self.anchors.insert(anchor, 0);
                self.insert(Node::Scalar(v, style == TScalarStyle::Plain));
            }
            Event::SequenceStart(..) => self.stack.push(Node::Seq(Vec::new())),
            Event::MappingStart(..) => {
                self.stack.push(Node::Map(Vec::new()));
                self.keys.push(None);
            }
            Event::SequenceEnd => {
                if let Some(n) = self.stack.pop() {
                    self.insert(n);
                }
            }
            Event::MappingEnd => {
                self.keys.pop();
                if let Some(n) = self.stack.pop() {
                    self.insert(n);
                }
            }
            Event::Alias(_) => self.insert(Node::Scalar(String::new(), false)),
            _ => {}
        }
    }
}

/// A YAML error: 1-based line and column within the block, and the message.
pub(crate) struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The YAML is valid but its top level is not a mapping.
    pub not_a_mapping: bool,
}

/// Parses a YAML block's text into key-value pairs.
pub(crate) fn parse_yaml(text: &str) -> Result<Vec<(String, Node)>, YamlError> {
    let mut b = Builder::default();
    let mut parser = Parser::new_from_str(text);
    parser.load(&mut b, false).map_err(|e| YamlError {
        line: e.marker().line().max(1),
        column: e.marker().col() + 1,
        message: e.info().to_string(),
        not_a_mapping: false,
    })?;
    match b.docs.pop() {
        Some(Node::Map(m)) => Ok(m),
        None => Ok(Vec::new()),
        Some(Node::Scalar(s, _)) if s.is_empty() => Ok(Vec::new()),
        Some(_) => Err(YamlError {
            line: 1,
            column: 1,
            message: "expected a mapping of keys to values".into(),
            not_a_mapping: true,
        }),
    }
}

/// Converts a node, parsing string scalars as Markdown with `md`.
pub(crate) fn to_meta(node: Node, md: &mut dyn FnMut(&str) -> Vec<Block>) -> MetaValue {
    match node {
        Node::Seq(v) => MetaValue::MetaList(v.into_iter().map(|n| to_meta(n, md)).collect()),
        Node::Map(m) => {
            let mut map = BTreeMap::new();
            for (k, v) in m {
                if k.ends_with('_') {
                    continue;
                }
                map.insert(k, to_meta(v, md));
            }
            MetaValue::MetaMap(map)
        }
        Node::Scalar(s, plain) => {
            let text = if plain {
                match Yaml::from_str(&s) {
                    Yaml::Boolean(b) => return MetaValue::MetaBool(b),
                    Yaml::Null => return MetaValue::MetaString(String::new()),
                    Yaml::Integer(i) => i.to_string(),
                    Yaml::Real(r) => match r.parse::<f64>() {
                        Ok(f) if f.is_finite() => {
                            let t = f.to_string();
                            if t.contains(['.', 'e']) {
                                t
                            } else {
                                format!("{t}.0")
                            }
                        }
                        _ => r,
                    },
                    _ => s,
                }
            } else {
                s
            };
            if text.is_empty() {
                return MetaValue::MetaInlines(Vec::new());
            }
            let ends_nl = text.trim_end_matches([' ', '\t']).ends_with('\n');
            let blocks = md(&text);
            if !ends_nl {
                if let [Block::Plain(_) | Block::Para(_)] = &blocks[..] {
                    let mut blocks = blocks;
                    if let Some(Block::Plain(ils) | Block::Para(ils)) = blocks.pop() {
                        return MetaValue::MetaInlines(ils);
                    }
                    return MetaValue::MetaBlocks(Vec::new());
                }
            }
            MetaValue::MetaBlocks(blocks)
        }
    }
}
