pub fn before_anchor() {}

// ANCHOR: adder
pub fn adder(a: i32, b: i32) -> i32 {
    a + b
}
// ANCHOR_END: adder

pub fn after_anchor() {}
