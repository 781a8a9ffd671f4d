// Enhances the questionnaire pages; every page works without it.
//
// 1. Shows and hides conditional questions while the patient answers, from the rules the
//    server writes into data-enable-when. Without the script every question on the page is
//    shown with a hint, and the server decides on submit. A hidden question's inputs are
//    disabled, so the browser does not send answers to questions that do not apply, and a
//    question inside a hidden group is hidden with it (FHIR: a disabled parent disables its
//    children).
// 2. Makes the language link in the header save what the patient has typed on this page
//    before switching language, instead of leaving the page and losing it.
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
      case ">": return actual > expected;
      case "<": return actual < expected;
      case ">=": return actual >= expected;
      case "<=": return actual <= expected;
    }
    return false;
  }

  // The same truth table as EnableWhen.holds on the server: "!=" and "notIn" hold when no
  // answer equals the value, also when there is no answer at all; every other comparison
  // needs an answer that satisfies it.
  function holds(form, condition) {
    if (condition.operator === "constant") return condition.values[0] === "true";
    var values = fieldValues(form, condition.field);
    var isOneOf = function (value) { return condition.values.indexOf(value) !== -1; };
    switch (condition.operator) {
      case "exists": return (values.length > 0) === (condition.values[0] === "true");
      case "in": return values.some(isOneOf);
      case "notIn": return !values.some(isOneOf);
      case "!=":
        return !values.some(function (value) { return compare(condition.kind, "=", value, condition.values[0]); });
    }
    return values.some(function (value) { return compare(condition.kind, condition.operator, value, condition.values[0]); });
  }

  function update(form, elements) {
    elements.forEach(function (element) {
      var rule = JSON.parse(element.getAttribute("data-enable-when"));
      var results = rule.conditions.map(function (condition) { return holds(form, condition); });
      var enabled = rule.behavior === "any" ? results.some(Boolean) : results.every(Boolean);
      element.hidden = !enabled;
      var hint = element.querySelector(".question__hint");
      if (hint) hint.hidden = true;
    });
    var inputs = form.querySelectorAll("input:not([type=hidden]), select, textarea");
    for (var i = 0; i < inputs.length; i++) inputs[i].disabled = inputs[i].closest("[hidden]") !== null;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("answers");
    if (!form) return;

    var language = document.querySelector(".site-header__language");
    if (language) {
      language.addEventListener("click", function (event) {
        event.preventDefault();
        var action = document.createElement("input");
        action.type = "hidden";
        action.name = "action";
        action.value = "switch-language";
        form.appendChild(action);
        form.submit();
      });
    }

    var elements = Array.prototype.filter.call(form.querySelectorAll("[data-enable-when]"), function (element) {
      return element.getAttribute("data-enable-when") !== "";
    });
    if (elements.length === 0) return;
    // Rules can depend on questions that other rules hide, so settle in a few passes.
    var refresh = function () { for (var pass = 0; pass < 3; pass++) update(form, elements); };
    form.addEventListener("change", refresh);
    form.addEventListener("input", refresh);
    refresh();
  });
})();
