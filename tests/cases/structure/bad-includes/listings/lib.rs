// ANCHOR: here
fn here() {}
// ANCHOR_END: here
