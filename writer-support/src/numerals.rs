//! Roman numerals, written once for the LaTeX writer's list numbers and the
//! `ordinals` filter's `XIXe` (which checks that a numeral is well formed by
//! writing its value back).

/// `n` in upper-case Roman numerals, for 1 to 3999 (`None` otherwise).
pub fn to_roman(n: u32) -> Option<String> {
    const DIGITS: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    if !(1..=3999).contains(&n) {
        return None;
    }
    let mut rest = n;
    let mut out = String::new();
    for (value, digits) in DIGITS {
        while rest >= value {
            out.push_str(digits);
            rest -= value;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::to_roman;

    #[test]
    fn numerals_and_their_range() {
        assert_eq!(to_roman(1).as_deref(), Some("I"));
        assert_eq!(to_roman(19).as_deref(), Some("XIX"));
        assert_eq!(to_roman(1994).as_deref(), Some("MCMXCIV"));
        assert_eq!(to_roman(3999).as_deref(), Some("MMMCMXCIX"));
        assert_eq!(to_roman(0), None);
        assert_eq!(to_roman(4000), None);
    }
}
