/// Placeholder so the target builds; removed once real files exist.
enum FollowUpPlaceholder {}
