// The widget's unit tests (static/widget.js in jsdom); see tests/js/.
export default { test: { include: ["tests/js/**/*.test.js"] } };
