use std::collections::HashMap;

fn main() {
    // ANCHOR: body
    let visible_total = 40 + 2;
    println!("{visible_total}");
    // ANCHOR_END: body
    let hidden_tail = HashMap::<u8, u8>::new();
}
