// Shows and hides conditional questions while the patient answers, from the rules the server
// writes into data-enable-when. It only enhances: without it every question on the page is
// shown with a hint, and the server decides on submit. Hidden questions get their inputs
// disabled, so the browser does not send answers to questions that do not apply.
(function () {
  "use strict";

  function fieldValues(form, name) {
    var values = [];
    var fields = form.querySelectorAll("[name]");
    for (var i = 0; i < fields.length; i++) {
      var field = fields[i];
      if (field.name !== name || field.disabled) continue;
      if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue;
      if (field.value !== "") values.push(field.value);
    }
    return values;
  }

  function number(text) {
    var parsed = parseFloat(String(text).replace(",", "."));
    return isNaN(parsed) ? null : parsed;
  }

  function compare(kind, operator, actual, expected) {
    if (kind === "number") {
      var a = number(actual), b = number(expected);
      if (a === null || b === null) return false;
      actual = a; expected = b;
    }
    switch (operator) {
      case "=": return actual === expected;
      case "!=": return actual !== expected;
      case ">": return actual > expected;
      case "<": return actual < expected;
      case ">=": return actual >= expected;
      case "<=": return actual <= expected;
    }
    return false;
  }

  function holds(form, condition) {
    if (condition.operator === "constant") return condition.values[0] === "true";
    var values = fieldValues(form, condition.field);
    if (condition.operator === "exists") {
      return (values.length > 0) === (condition.values[0] === "true");
    }
    if (values.length === 0) return false;
    if (condition.operator === "in") {
      return values.some(function (value) { return condition.values.indexOf(value) !== -1; });
    }
    if (condition.operator === "!=") {
      return values.every(function (value) {
        return condition.values.every(function (expected) { return compare(condition.kind, "!=", value, expected); });
      });
    }
    return values.some(function (value) {
      return condition.values.some(function (expected) { return compare(condition.kind, condition.operator, value, expected); });
    });
  }

  function update(form, elements) {
    elements.forEach(function (element) {
      var rule = JSON.parse(element.getAttribute("data-enable-when"));
      var results = rule.conditions.map(function (condition) { return holds(form, condition); });
      var enabled = rule.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
      element.hidden = !enabled;
      var hint = element.querySelector(".question__hint");
      if (hint) hint.hidden = true;
      var inputs = element.querySelectorAll("input, select, textarea");
      for (var i = 0; i < inputs.length; i++) inputs[i].disabled = !enabled;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form.form");
    if (!form) return;
    var elements = Array.prototype.filter.call(form.querySelectorAll("[data-enable-when]"), function (element) {
      return element.getAttribute("data-enable-when") !== "";
    });
    if (elements.length === 0) return;
    var refresh = function () { for (var pass = 0; pass < 3; pass++) update(form, elements); };
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  });
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  });
})();
